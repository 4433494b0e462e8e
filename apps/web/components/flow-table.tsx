"use client";

import { useQuery } from "@tanstack/react-query";
import { FlowStateBadge } from "@/components/flow-state-badge.tsx";
import { api, type FlowListItem } from "@/lib/api-client.ts";
import { formatBytesRate, formatCount, formatRate, formatSeconds } from "@/lib/format.ts";

export function FlowTable() {
  const query = useQuery({ queryKey: ["flows"], queryFn: api.flows, refetchInterval: 5_000 });
  if (query.isPending) return <p className="muted">Loading flows…</p>;
  if (query.isError) return <p className="error-text">Could not load flows: {query.error.message}</p>;
  if (query.data.items.length === 0) return <p className="muted">No flows yet.</p>;
  return (
    <table className="data" aria-label="Flows">
      <thead>
        <tr>
          <th scope="col">Flow</th>
          <th scope="col">Direction</th>
          <th scope="col">Topics</th>
          <th scope="col">State</th>
          <th scope="col">Throughput</th>
          <th scope="col">Lag</th>
          <th scope="col">p99 latency</th>
          <th scope="col">Heartbeat</th>
        </tr>
      </thead>
      <tbody>
        {query.data.items.map((flow) => (
          <FlowRow key={flow.id} flow={flow} />
        ))}
      </tbody>
    </table>
  );
}

function FlowRow({ flow }: { flow: FlowListItem }) {
  const { live } = flow;
  const running = live.workers > 0;
  return (
    <tr data-testid={`flow-${flow.name}`}>
      <td>
        <a href={`/flows/${flow.id}`}>{flow.name}</a>
      </td>
      <td>
        {flow.sourceAlias} → {flow.targetAlias}
      </td>
      <td>
        <code>{flow.topicsInclude}</code>
      </td>
      <td>
        <FlowStateBadge flow={flow} />
        {flow.state === "ERROR" && flow.stateReason ? (
          <div className="error-text">{flow.stateReason}</div>
        ) : null}
        {flow.heartbeat?.stale ? (
          <div className="error-text" data-testid="flow-unhealthy">
            unhealthy: no heartbeat from {flow.sourceAlias} has reached {flow.targetAlias}
            {flow.heartbeat.ageMs === null ? " yet" : ` for ${formatSeconds(flow.heartbeat.ageMs / 1000)}`}
          </div>
        ) : null}
      </td>
      <td data-testid="flow-throughput">
        {running ? `${formatRate(live.recordsPerSec)} · ${formatBytesRate(live.bytesPerSec)}` : "—"}
      </td>
      <td data-testid="flow-lag">
        {running && live.lagRecords !== null
          ? `${formatCount(live.lagRecords)} rec · ${formatSeconds(live.maxLagSeconds ?? 0)} behind`
          : "—"}
      </td>
      <td>{running && live.latencyP99Ms !== null ? `${Math.round(live.latencyP99Ms)} ms` : "—"}</td>
      <td data-testid="flow-heartbeat">
        {flow.heartbeat?.ageMs == null ? (
          "—"
        ) : (
          <span className={`badge ${flow.heartbeat.stale ? "bad" : "ok"}`}>
            {formatSeconds(flow.heartbeat.ageMs / 1000)} ago
          </span>
        )}
      </td>
    </tr>
  );
}
