"use client";

import { AuditLog } from "@/components/admin/audit-log.tsx";

export default function AuditPage() {
  return <AuditLog />;
}
