"use client";

import { useQuery } from "@tanstack/react-query";
import { api, type ClusterListItem } from "@/lib/api-client.ts";

export function ClusterCards() {
  const query = useQuery({ queryKey: ["clusters"], queryFn: api.clusters, refetchInterval: 10_000 });
  if (query.isPending) return <p className="muted">Loading clusters…</p>;
  if (query.isError) return <p className="error-text">Could not load clusters: {query.error.message}</p>;
  if (query.data.items.length === 0) {
    return <p className="muted">No clusters registered yet.</p>;
  }
  return (
    <ul className="grid" aria-label="Clusters" style={{ listStyle: "none", padding: 0, margin: 0 }}>
      {query.data.items.map((cluster) => (
        <ClusterCard key={cluster.id} cluster={cluster} />
      ))}
    </ul>
  );
}

function ClusterCard({ cluster }: { cluster: ClusterListItem }) {
  const { health } = cluster;
  return (
    <li className="card" id={`cluster-${cluster.alias}`} data-testid={`cluster-${cluster.alias}`}>
      <h3>
        <span>{cluster.alias}</span>
        <span className={`badge ${health.reachable ? "ok" : "bad"}`}>
          {health.reachable ? "reachable" : "unreachable"}
        </span>
      </h3>
      <div className="muted">{cluster.bootstrapServers}</div>
      {health.reachable ? (
        <dl className="facts">
          <dt>Brokers</dt>
          <dd data-testid="broker-count">{health.brokerCount}</dd>
          <dt>Topics</dt>
          <dd>{health.topicCount}</dd>
          <dt>Controller</dt>
          <dd>{health.controllerId}</dd>
        </dl>
      ) : (
        <p className="error-text">{health.error?.message}</p>
      )}
    </li>
  );
}
