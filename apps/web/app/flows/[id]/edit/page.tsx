"use client";

import { use } from "react";
import { EditFlowView } from "@/components/flow-form/edit-flow.tsx";

export default function EditFlowPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = use(params);
  return (
    <>
      <p>
        <a href={`/flows/${id}`}>← Flow</a>
      </p>
      <h1>Edit flow</h1>
      <EditFlowView flowId={id} />
    </>
  );
}
