"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api } from "@/lib/api-client.ts";
import { useMe } from "@/lib/use-me.ts";
import { FlowForm } from "./flow-form.tsx";

/** /flows/[id]/edit: the flow form prefilled, for admins. The flow and the clusters load in parallel. */
export function EditFlowView({ flowId }: { flowId: string }) {
  const { me, can } = useMe();
  const flow = useQuery({ queryKey: ["flow", flowId], queryFn: () => api.flow(flowId), staleTime: 0 });
  const clusters = useQuery({ queryKey: ["clusters"], queryFn: api.clusters });
  // A reload (after someone else's edit) starts the form again from the flow as it is now.
  const [formKey, setFormKey] = useState(0);
  const [reloading, setReloading] = useState(false);
  const reload = async () => {
    setReloading(true);
    await flow.refetch();
    setReloading(false);
    setFormKey((k) => k + 1);
  };

  if (me === null || flow.isPending || clusters.isPending) {
    return (
      <p className="muted ff-intro" aria-busy="true">
        Loading the flow…
      </p>
    );
  }
  if (!can("ADMIN")) {
    return (
      <p className="muted" data-testid="admins-only">
        Only admins can change flows. <a href={`/flows/${flowId}`}>Back to the flow</a>
      </p>
    );
  }
  if (flow.isError) return <p className="error-text">Could not load the flow: {flow.error.message}</p>;
  if (clusters.isError) {
    return <p className="error-text">Could not load the clusters: {clusters.error.message}</p>;
  }
  return (
    <>
      <p className="muted ff-intro" data-testid="edit-intro">
        <strong>{flow.data.name}</strong>, version {flow.data.version}. Saving records a revision; running
        workers pick the change up within seconds.
      </p>
      <FlowForm
        key={formKey}
        mode="edit"
        flow={flow.data}
        clusters={clusters.data.items}
        onReload={() => void reload()}
        reloading={reloading}
      />
    </>
  );
}
