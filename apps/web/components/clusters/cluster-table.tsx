"use client";

import type { ClusterListItem } from "@/lib/api-client.ts";
import { formatCount } from "@/lib/format.ts";

const PROTOCOL_LABEL: Record<string, string> = {
  PLAINTEXT: "Plaintext",
  SSL: "TLS",
  SASL_PLAINTEXT: "SASL",
  SASL_SSL: "SASL over TLS",
};

const SKELETON_ROWS = ["a", "b", "c"];

/**
 * Every cluster with its live health. On a phone each row becomes a stacked card (see
 * clusters.css), each cell labelled by its column.
 */
export function ClusterTable({
  items,
  loading,
  admin,
  onEdit,
  onDelete,
}: {
  items: ClusterListItem[] | undefined;
  loading: boolean;
  admin: boolean;
  onEdit: (alias: string) => void;
  onDelete: (alias: string) => void;
}) {
  const columns = admin ? 7 : 6;
  return (
    <table
      className="data cluster-table"
      aria-label="Clusters"
      aria-busy={loading}
      data-testid="cluster-table"
    >
      <thead>
        <tr>
          <th scope="col">Cluster</th>
          <th scope="col">Security</th>
          <th scope="col">Health</th>
          <th scope="col" className="num">
            Brokers
          </th>
          <th scope="col">Kafka</th>
          <th scope="col" className="num">
            Topics
          </th>
          {admin ? (
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          ) : null}
        </tr>
      </thead>
      <tbody>
        {loading
          ? SKELETON_ROWS.map((k) => (
              <tr key={k} className="skeleton-row">
                <td colSpan={columns}>
                  <span className="skeleton">Loading clusters…</span>
                </td>
              </tr>
            ))
          : null}
        {!loading && items?.length === 0 ? (
          <tr>
            <td colSpan={columns} className="empty-cell">
              No clusters registered yet.{" "}
              {admin ? (
                <>
                  Add one above, or <a href="/import">import an mm2.properties file</a>.
                </>
              ) : (
                "An admin can add them."
              )}
            </td>
          </tr>
        ) : null}
        {items?.map((cluster) => (
          <ClusterRow key={cluster.id} cluster={cluster} admin={admin} onEdit={onEdit} onDelete={onDelete} />
        ))}
      </tbody>
    </table>
  );
}

function ClusterRow({
  cluster,
  admin,
  onEdit,
  onDelete,
}: {
  cluster: ClusterListItem;
  admin: boolean;
  onEdit: (alias: string) => void;
  onDelete: (alias: string) => void;
}) {
  const { health } = cluster;
  return (
    <tr data-testid={`cluster-row-${cluster.alias}`}>
      <td data-label="Cluster">
        <div>
          <strong className="cluster-alias">{cluster.alias}</strong>
          <span className="muted bootstrap">{cluster.bootstrapServers}</span>
        </div>
      </td>
      <td data-label="Security">
        <div>
          {PROTOCOL_LABEL[cluster.securityProtocol] ?? cluster.securityProtocol}
          {cluster.sasl ? (
            <span className="muted block">
              {cluster.sasl.mechanism} · {cluster.sasl.username}
              {cluster.sasl.passwordSet ? "" : " · no password set"}
            </span>
          ) : null}
        </div>
      </td>
      <td data-label="Health">
        <div>
          <span className={`badge ${health.reachable ? "ok" : "bad"}`} data-testid="cluster-health">
            {health.reachable ? "reachable" : "unreachable"}
          </span>
          {!health.reachable && health.error ? (
            <span className="error-text block health-error" title={health.error.message}>
              {health.error.message}
            </span>
          ) : null}
        </div>
      </td>
      <td data-label="Brokers" className="num">
        <span data-testid="cluster-brokers">{health.brokerCount ?? "—"}</span>
      </td>
      <td data-label="Kafka">
        <span data-testid="cluster-kafka-version">{health.kafkaVersion ?? "—"}</span>
      </td>
      <td data-label="Topics" className="num">
        <span data-testid="cluster-topics">
          {health.topicCount === null ? "—" : formatCount(health.topicCount)}
        </span>
      </td>
      {admin ? (
        <td className="row-actions">
          <button type="button" onClick={() => onEdit(cluster.alias)} aria-label={`Edit ${cluster.alias}`}>
            Edit
          </button>
          <button
            type="button"
            className="danger"
            onClick={() => onDelete(cluster.alias)}
            aria-label={`Delete ${cluster.alias}`}
          >
            Delete
          </button>
        </td>
      ) : null}
    </tr>
  );
}
