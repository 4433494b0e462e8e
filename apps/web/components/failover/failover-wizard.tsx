"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api } from "@/lib/api-client.ts";
import { errorText } from "@/lib/form-errors.ts";
import { useFailoverRuns } from "@/lib/use-failover.ts";
import { FailoverSetup } from "./failover-setup.tsx";
import { FailoverStepper } from "./failover-stepper.tsx";
import "@/styles/failover.css";

/**
 * /flows/{id}/failover: the run asked for (`runId`), else the one running now, else a new
 * failover from options through the dry-run to the start, which then shows its stepper.
 */
export function FailoverWizard({ flowId, runId }: { flowId: string; runId: string | null }) {
  const flow = useQuery({ queryKey: ["flow", flowId], queryFn: () => api.flow(flowId) });
  const runs = useFailoverRuns(flowId);
  const [started, setStarted] = useState<string | null>(null);
  if (flow.isPending || runs.isPending) return <p className="muted">Loading the flow…</p>;
  if (flow.isError) return <p className="error-text">Could not load the flow: {errorText(flow.error)}</p>;
  const latest = runs.data?.items[0];
  const shown = started ?? runId ?? (latest?.state === "RUNNING" ? latest.id : null);
  const names = { source: flow.data.sourceAlias, target: flow.data.targetAlias };
  return (
    <div className="fo-wizard">
      <h1>Fail over {flow.data.name}</h1>
      <p className="muted">
        Applications move from <strong>{names.source}</strong> to <strong>{names.target}</strong>: their
        consumer groups continue there from translated offsets.
      </p>
      {runs.isError ? (
        <p className="error-text">Could not check for a running failover: {errorText(runs.error)}</p>
      ) : null}
      {shown ? (
        <FailoverStepper flowId={flowId} runId={shown} names={names} focusOnShow={started !== null} />
      ) : (
        <FailoverSetup flowId={flowId} names={names} onStarted={(run) => setStarted(run.id)} />
      )}
    </div>
  );
}
