"use client";

import type { FailoverRunView } from "@mirrordeck/contracts";
import { QueryState } from "@/components/query-state.tsx";
import { formatDuration, RUN_STATE } from "@/lib/failover-words.ts";
import { formatOffset } from "@/lib/format.ts";
import { useFailoverRuns } from "@/lib/use-failover.ts";

const SHOWN = 5;
const when = (iso: string) => new Date(iso).toLocaleString("en-GB");

/** The latest failover runs of the flow with their outcome in one line each, newest first. */
export function FailoverHistory({ flowId }: { flowId: string }) {
  const query = useFailoverRuns(flowId);
  return (
    <section aria-labelledby="failovers-heading">
      <h2 id="failovers-heading">Failovers</h2>
      <QueryState
        query={query}
        loading="Loading failovers…"
        failed="Could not load failovers"
        empty={(data) => (data.items.length === 0 ? "This flow has never failed over." : null)}
      >
        {(data) => (
          <ol className="timeline fo-history" data-testid="failover-history">
            {data.items.slice(0, SHOWN).map((run) => (
              <RunSummary key={run.id} flowId={flowId} run={run} />
            ))}
          </ol>
        )}
      </QueryState>
    </section>
  );
}

function RunSummary({ flowId, run }: { flowId: string; run: FailoverRunView }) {
  const state = RUN_STATE[run.state];
  const { report } = run;
  return (
    <li data-testid={`failover-run-${run.id}`} data-state={run.state}>
      <time dateTime={run.createdAt}>{when(run.createdAt)}</time> · {run.mode} failover by {run.requestedBy}{" "}
      <span className={`badge ${state.badge}`}>{state.label}</span>{" "}
      <a href={`/flows/${flowId}/failover?run=${run.id}`}>
        {run.state === "RUNNING" ? "Follow it" : "Details"}
        <span className="visually-hidden"> of the failover of {when(run.createdAt)}</span>
      </a>
      {run.state === "SUCCEEDED" ? (
        <div className="muted">
          RTO {formatDuration(report.rtoSeconds)} · RPO{" "}
          {report.rpoRecords == null ? "unknown" : `${formatOffset(report.rpoRecords)} records`}
          {report.rpoSeconds == null ? "" : ` (${formatDuration(report.rpoSeconds)})`} · active side{" "}
          {report.activeAlias ?? "—"}
          {report.reverseFlow ? (
            <>
              {" "}
              · reverse flow{" "}
              <a href={`/flows/${report.reverseFlow.id}`} data-testid="history-reverse-flow">
                {report.reverseFlow.name}
              </a>
            </>
          ) : null}
        </div>
      ) : run.error ? (
        <div className="error-text">{run.error}</div>
      ) : null}
    </li>
  );
}
