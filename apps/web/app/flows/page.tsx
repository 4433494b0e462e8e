"use client";

import { FlowsList } from "@/components/flows-list/flows-list.tsx";

export default function FlowsPage() {
  return <FlowsList />;
}
