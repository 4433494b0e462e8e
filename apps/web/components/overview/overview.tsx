"use client";

import { useQuery } from "@tanstack/react-query";
import { ClusterCards } from "@/components/cluster-cards.tsx";
import { FlowTable } from "@/components/flow-table.tsx";
import { api, type ClusterListItem, type FlowListItem } from "@/lib/api-client.ts";
import { formatBytesRate, formatCount, formatRate, formatSeconds } from "@/lib/format.ts";
import { type Alert, deriveAlerts, fleetTotals } from "./fleet.ts";
import { Topology, TopologyLegend } from "./topology.tsx";
import "@/styles/overview.css";

const REFRESH_MS = 5_000;

/** The fleet at a glance: totals, topology, alerts, then every cluster and flow. */
export function OverviewView() {
  // Both lists start together (no waterfall); the cards and the table below share these queries.
  const clusters = useQuery({ queryKey: ["clusters"], queryFn: api.clusters, refetchInterval: REFRESH_MS });
  const flows = useQuery({ queryKey: ["flows"], queryFn: api.flows, refetchInterval: REFRESH_MS });
  const clusterItems = clusters.data?.items;
  const flowItems = flows.data?.items;
  const error = clusters.error?.message ?? flows.error?.message ?? null;
  const updatedAt = Math.min(clusters.dataUpdatedAt, flows.dataUpdatedAt);

  return (
    <div className="overview">
      <div className="overview-head">
        <h1>Overview</h1>
        <p className="muted" aria-live="off">
          {updatedAt > 0
            ? `Updated ${new Date(updatedAt).toLocaleTimeString("en-GB")} · refreshes every 5 s`
            : "Refreshes every 5 s"}
        </p>
      </div>
      {error !== null && clusterItems !== undefined && flowItems !== undefined ? (
        <p className="error-text" role="status">
          Could not refresh: {error}. Showing the last figures.
        </p>
      ) : null}
      <FleetTotalsPanel clusters={clusterItems} flows={flowItems} />
      <div className="overview-main">
        <section className="card topology-card" aria-labelledby="topology-heading">
          <h2 id="topology-heading">Topology</h2>
          <Topology clusters={clusterItems} flows={flowItems} error={error} />
          <TopologyLegend />
        </section>
        <AlertsPanel clusters={clusterItems} flows={flowItems} error={error} />
      </div>
      <h2>Clusters</h2>
      <ClusterCards />
      <h2>Flows</h2>
      <FlowTable />
    </div>
  );
}

function FleetTotalsPanel({
  clusters,
  flows,
}: {
  clusters: readonly ClusterListItem[] | undefined;
  flows: readonly FlowListItem[] | undefined;
}) {
  const loaded = clusters !== undefined && flows !== undefined;
  const totals = loaded ? fleetTotals(clusters, flows) : null;
  const worst = totals?.worstLag ?? null;
  const dash = <span className="muted">—</span>;
  return (
    <section aria-labelledby="totals-heading">
      <h2 id="totals-heading" className="visually-hidden">
        Fleet totals
      </h2>
      <dl className="kpis fleet-kpis" data-testid="fleet-totals">
        <div>
          <dt>Total throughput</dt>
          <dd data-testid="totals-throughput">{totals ? formatRate(totals.recordsPerSec) : dash}</dd>
          <dd className="kpi-sub muted">{totals ? formatBytesRate(totals.bytesPerSec) : "\u00a0"}</dd>
        </div>
        <div>
          <dt>Worst lag</dt>
          <dd data-testid="totals-worst-lag">
            {totals === null
              ? dash
              : worst === null
                ? "no lag reported"
                : (worst.records ?? 0) === 0 && (worst.seconds ?? 0) === 0
                  ? "caught up"
                  : [
                      worst.seconds === null ? null : `${formatSeconds(worst.seconds)} behind`,
                      worst.records === null ? null : `${formatCount(worst.records)} records`,
                    ]
                      .filter(Boolean)
                      .join(" · ")}
          </dd>
          <dd className="kpi-sub muted">
            {worst === null ? (
              "\u00a0"
            ) : (
              <>
                on <a href={`/flows/${encodeURIComponent(worst.flow.id)}`}>{worst.flow.name}</a>
              </>
            )}
          </dd>
        </div>
        <div>
          <dt>Flows running</dt>
          <dd data-testid="totals-flows">{totals ? `${totals.flowsActive} / ${totals.flowsTotal}` : dash}</dd>
          <dd className="kpi-sub muted">running or catching up</dd>
        </div>
        <div>
          <dt>Clusters reachable</dt>
          <dd data-testid="totals-clusters">
            {totals ? `${totals.clustersReachable} / ${totals.clustersTotal}` : dash}
          </dd>
          <dd className="kpi-sub muted">brokers answering</dd>
        </div>
      </dl>
    </section>
  );
}

function AlertsPanel({
  clusters,
  flows,
  error,
}: {
  clusters: readonly ClusterListItem[] | undefined;
  flows: readonly FlowListItem[] | undefined;
  error: string | null;
}) {
  const alerts: Alert[] | null =
    clusters !== undefined && flows !== undefined ? deriveAlerts(clusters, flows) : null;
  return (
    <section className="card alerts-card" aria-labelledby="alerts-heading" data-testid="alerts">
      <h2 id="alerts-heading">
        Alerts{" "}
        {alerts !== null && alerts.length > 0 ? (
          <span className="badge bad" data-testid="alert-count">
            {alerts.length}
          </span>
        ) : null}
      </h2>
      <div className="alerts-body">
        {alerts === null ? (
          error ? (
            <p className="error-text">Could not check for alerts: {error}</p>
          ) : (
            <p className="muted">Checking clusters and flows…</p>
          )
        ) : alerts.length === 0 ? (
          <p className="no-alerts" data-testid="no-alerts">
            <span aria-hidden="true">✓</span> No alerts: every cluster answers and no flow is failing, silent
            or over 60 s behind.
          </p>
        ) : (
          <ul className="alert-list">
            {alerts.map((a) => (
              <li key={a.key} data-testid={`alert-${a.key.split("-")[0]}`}>
                <span className="badge bad">{a.kind}</span> <a href={a.href}>{a.subject}</a> {a.text}
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}
