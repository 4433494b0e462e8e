"use client";

import { useQuery } from "@tanstack/react-query";
import { api, type FlowGroupsResponse } from "@/lib/api-client.ts";
import { formatCount, formatOffset, formatSeconds } from "@/lib/format.ts";

const SYNC_LABEL: Record<string, string> = {
  disabled: "off",
  synced: "synced",
  "up-to-date": "up to date",
  "skipped-active": "skipped: members active on target",
  error: "error",
};

/** Consumer groups of a flow: committed offset on the source, translated offset, checkpoint age, lag on both sides. */
export function FlowGroups({ flowId }: { flowId: string }) {
  const query = useQuery({
    queryKey: ["flow-groups", flowId],
    queryFn: () => api.flowGroups(flowId),
    refetchInterval: 5_000,
  });
  if (query.isPending) return <p className="muted">Loading consumer groups…</p>;
  if (query.isError)
    return <p className="error-text">Could not load consumer groups: {query.error.message}</p>;
  return (
    <>
      <Heartbeat data={query.data} />
      <h2>Consumer groups</h2>
      <GroupTable data={query.data} />
    </>
  );
}

function Heartbeat({ data }: { data: FlowGroupsResponse }) {
  const { heartbeat } = data;
  if (data.leader === null) return <p className="muted">No worker leads this flow's checkpoints yet.</p>;
  return (
    <p data-testid="flow-heartbeat-detail">
      Led by <code>{data.leader}</code>. Newest heartbeat replicated through the flow:{" "}
      {heartbeat.ageMs === null ? (
        <span className={`badge ${heartbeat.stale ? "bad" : "neutral"}`}>none yet</span>
      ) : (
        <span className={`badge ${heartbeat.stale ? "bad" : "ok"}`}>
          {formatSeconds(heartbeat.ageMs / 1000)} ago
        </span>
      )}
      {data.offsetSyncs && !data.offsetSyncs.readToEnd ? " · reading offset syncs…" : null}
      {data.checkpoints?.lastError ? (
        <span className="error-text"> · {data.checkpoints.lastError}</span>
      ) : null}
    </p>
  );
}

function GroupTable({ data }: { data: FlowGroupsResponse }) {
  const rows = data.groups.flatMap((g) => g.partitions.map((p) => ({ group: g, partition: p })));
  if (rows.length === 0) {
    return <p className="muted">No consumer group has committed offsets on this flow's topics.</p>;
  }
  const now = Date.now();
  return (
    <table className="data" aria-label="Consumer groups">
      <thead>
        <tr>
          <th scope="col">Group</th>
          <th scope="col">Partition</th>
          <th scope="col">Committed (source)</th>
          <th scope="col">Translated (target)</th>
          <th scope="col">Checkpoint age</th>
          <th scope="col">Lag source / target</th>
          <th scope="col">Offset sync</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(({ group, partition: p }) => (
          <tr
            key={`${group.group}/${p.topic}/${p.partition}`}
            data-testid={`group-${group.group}-${p.partition}`}
          >
            <td>{group.group}</td>
            <td>
              <code>
                {p.topic}-{p.partition}
              </code>{" "}
              → <code>{p.remoteTopic}</code>
            </td>
            <td>{formatOffset(p.sourceCommitted)}</td>
            <td>
              {p.translated === null ? (
                <span className="muted">{p.note ?? "—"}</span>
              ) : (
                formatOffset(p.translated)
              )}
            </td>
            <td>
              {p.checkpointAt === null ? "—" : formatSeconds((now - Date.parse(p.checkpointAt)) / 1000)}
            </td>
            <td>
              {p.sourceLag === null ? "—" : formatCount(p.sourceLag)} /{" "}
              {p.targetLag === null ? "—" : formatCount(p.targetLag)}
            </td>
            <td>
              {SYNC_LABEL[group.offsetSync] ?? group.offsetSync}
              {group.offsetSyncError ? <div className="error-text">{group.offsetSyncError}</div> : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
