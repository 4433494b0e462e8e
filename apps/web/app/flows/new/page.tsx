"use client";

import { NewFlowView } from "@/components/flow-form/new-flow.tsx";

export default function NewFlowPage() {
  return (
    <>
      <p>
        <a href="/flows">← Flows</a>
      </p>
      <h1>New flow</h1>
      <NewFlowView />
    </>
  );
}
