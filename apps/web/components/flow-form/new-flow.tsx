"use client";

import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { api } from "@/lib/api-client.ts";
import { useMe } from "@/lib/use-me.ts";
import { FlowForm } from "./flow-form.tsx";

/** /flows/new: the wizard, for admins. Clusters, flows and the principal load in parallel. */
export function NewFlowView() {
  const { me, can } = useMe();
  const clusters = useQuery({ queryKey: ["clusters"], queryFn: api.clusters });
  const flows = useQuery({ queryKey: ["flows"], queryFn: api.flows });
  const existingPairs = useMemo(
    () =>
      new Map(
        (flows.data?.items ?? []).map((f) => [
          `${f.sourceAlias}->${f.targetAlias}`,
          { id: f.id, name: f.name },
        ]),
      ),
    [flows.data],
  );
  if (me === null || clusters.isPending) {
    return (
      <p className="muted ff-loading" aria-busy="true">
        Loading clusters…
      </p>
    );
  }
  if (!can("ADMIN")) {
    return (
      <p className="muted" data-testid="admins-only">
        Only admins can create flows. <a href="/flows">Back to the flows</a>
      </p>
    );
  }
  if (clusters.isError) {
    return <p className="error-text">Could not load the clusters: {clusters.error.message}</p>;
  }
  if (clusters.data.items.length < 2) {
    return (
      <p className="muted">
        A flow copies from one cluster to another: register at least two clusters first.{" "}
        <a href="/clusters">Clusters</a>
      </p>
    );
  }
  return <FlowForm mode="create" clusters={clusters.data.items} existingPairs={existingPairs} />;
}
