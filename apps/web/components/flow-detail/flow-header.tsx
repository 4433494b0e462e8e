"use client";

import type { FlowDetail } from "@mirrordeck/contracts";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { FlowStateBadge } from "@/components/flow-state-badge.tsx";
import { ApiError, api } from "@/lib/api-client.ts";
import { formatBytesRate, formatCount, formatRate, formatSeconds } from "@/lib/format.ts";
import type { LiveFlowState } from "@/lib/use-flow-stream.ts";
import { useMe } from "@/lib/use-me.ts";

/** The flow's name, direction, state, live figures and the actions the viewer's role allows. */
export function FlowHeader({ flow, live }: { flow: FlowDetail; live: LiveFlowState }) {
  const { can } = useMe();
  const client = useQueryClient();
  const [message, setMessage] = useState<string | null>(null);
  const action = useMutation({
    mutationFn: (which: "start" | "pause" | "resume") => api.flowAction(flow.id, which),
    onSuccess: (_data, which) => {
      setMessage(
        `${which[0]?.toUpperCase()}${which.slice(1)} requested; the workers apply it within seconds.`,
      );
      void client.invalidateQueries({ queryKey: ["flow", flow.id] });
      void client.invalidateQueries({ queryKey: ["flow-events", flow.id] });
    },
    onError: (error) => setMessage(error instanceof ApiError ? error.message : String(error)),
  });
  const summary = live.latest?.summary;
  const actions: ("start" | "pause" | "resume")[] = flow.enabled
    ? ["pause"]
    : flow.state === "PAUSED"
      ? ["resume"]
      : ["start"];
  return (
    <header className="flow-header">
      <div>
        <h1>{flow.name}</h1>
        <p className="muted">
          {flow.sourceAlias} → {flow.targetAlias} · topics <code>{flow.topicsInclude}</code> · version{" "}
          {flow.version} ·{" "}
          <span
            data-testid="flow-delivery"
            title={
              flow.settings.exactlyOnce === true
                ? "Records, positions and offset syncs commit in one transaction on the target: read_committed consumers see each record once."
                : "A crash or takeover may copy the last commit interval again."
            }
          >
            {flow.settings.exactlyOnce === true ? "exactly-once" : "at-least-once"}
          </span>
        </p>
      </div>
      <FlowStateBadge flow={flow} testId="flow-state" />
      {can("OPERATOR") ? (
        <div className="actions">
          {actions.map((a) => (
            <button key={a} type="button" onClick={() => action.mutate(a)} disabled={action.isPending}>
              {a[0]?.toUpperCase()}
              {a.slice(1)}
            </button>
          ))}
          {can("ADMIN") ? (
            <a className="button-link" href={`/flows/${flow.id}/edit`}>
              Edit
            </a>
          ) : null}
        </div>
      ) : null}
      {message ? (
        <p role="status" className="muted full-row">
          {message}
        </p>
      ) : null}
      {flow.state === "ERROR" && flow.stateReason ? (
        <p className="error-text full-row">{flow.stateReason}</p>
      ) : null}
      <dl className="kpis full-row" aria-label="Live figures">
        <div>
          <dt>Throughput</dt>
          <dd data-testid="kpi-throughput">
            {summary ? `${formatRate(summary.recordsPerSec)} · ${formatBytesRate(summary.bytesPerSec)}` : "—"}
          </dd>
        </div>
        <div>
          <dt>Lag</dt>
          <dd data-testid="kpi-lag">
            {summary?.lagRecords == null
              ? "—"
              : summary.lagRecords === 0
                ? "caught up"
                : `${formatCount(summary.lagRecords)} records${summary.maxLagSeconds ? `, ${formatSeconds(summary.maxLagSeconds)} behind` : ""}`}
          </dd>
        </div>
        <div>
          <dt>p99 latency</dt>
          <dd>{summary?.latencyP99Ms == null ? "—" : `${formatCount(summary.latencyP99Ms)} ms`}</dd>
        </div>
        <div>
          <dt>Heartbeat</dt>
          <dd>
            {live.latest?.heartbeat.ageMs == null
              ? "—"
              : `${formatSeconds(live.latest.heartbeat.ageMs / 1000)} ago`}
            {live.latest?.heartbeat.stale ? <span className="badge bad">stale</span> : null}
          </dd>
        </div>
        <div>
          <dt>Workers</dt>
          <dd>
            {summary?.workers ?? 0} · {live.connected ? "live" : "connecting…"}
          </dd>
        </div>
      </dl>
    </header>
  );
}
