"use client";

import { useQuery } from "@tanstack/react-query";
import { api } from "@/lib/api-client.ts";

export function FlowTable() {
  const query = useQuery({ queryKey: ["flows"], queryFn: api.flows, refetchInterval: 10_000 });
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
          <th scope="col">Policy</th>
          <th scope="col">State</th>
        </tr>
      </thead>
      <tbody>
        {query.data.items.map((flow) => (
          <tr key={flow.id} data-testid={`flow-${flow.name}`}>
            <td>{flow.name}</td>
            <td>
              {flow.sourceAlias} → {flow.targetAlias}
            </td>
            <td>
              <code>{flow.topicsInclude}</code>
            </td>
            <td>{flow.replicationPolicy === "DEFAULT" ? "default (alias.topic)" : "identity"}</td>
            <td>
              <span className="badge neutral">{flow.state.toLowerCase().replace("_", " ")}</span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
