"use client";

import { OverviewView } from "@/components/overview/overview.tsx";

export default function OverviewPage() {
  return <OverviewView />;
}
