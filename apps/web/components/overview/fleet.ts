// What the overview derives from the cluster and flow lists: health per flow, alerts, fleet totals.
import type { ClusterListItem, FlowListItem } from "@/lib/api-client.ts";
import { formatCount, formatRate, formatSeconds } from "@/lib/format.ts";

/** A flow further behind than this is an alert (and drawn as unhealthy). */
export const LAG_ALERT_SECONDS = 60;

export type Health = "ok" | "bad" | "muted";

const ACTIVE_STATES = new Set(["RUNNING", "CATCHING_UP"]);

/** Live figures only mean something while at least one worker reports for the flow. */
export const isReporting = (flow: FlowListItem) => flow.live.workers > 0;

export const isActive = (flow: FlowListItem) => ACTIVE_STATES.has(flow.state);

export const isLagging = (flow: FlowListItem) =>
  isReporting(flow) && (flow.live.maxLagSeconds ?? 0) > LAG_ALERT_SECONDS;

/** Error, stale heartbeat or lag over a minute: bad; running or catching up: ok; the rest: muted. */
export function flowHealth(flow: FlowListItem): Health {
  if (flow.state === "ERROR" || flow.heartbeat?.stale === true || isLagging(flow)) return "bad";
  return isActive(flow) ? "ok" : "muted";
}

export const stateLabel = (state: string) => state.toLowerCase().replace("_", " ");

/** "12 s behind" / "caught up" / null when nobody reports a lag. */
export function lagText(flow: FlowListItem): string | null {
  const { live } = flow;
  if (!isReporting(flow) || live.lagRecords === null) return null;
  if (live.lagRecords === 0) return "caught up";
  return `${formatSeconds(live.maxLagSeconds ?? 0)} behind`;
}

/** One line of live figures for a flow: throughput and lag, or its state when no worker reports. */
export function flowFigures(flow: FlowListItem): string {
  if (!isReporting(flow)) return isActive(flow) ? "no worker reports" : stateLabel(flow.state);
  const lag = lagText(flow);
  return lag === null
    ? formatRate(flow.live.recordsPerSec)
    : `${formatRate(flow.live.recordsPerSec)} · ${lag}`;
}

/** Why a flow is drawn as unhealthy, in a few words (null when it is not). */
export function flowProblem(flow: FlowListItem): string | null {
  if (flow.state === "ERROR") return "failed";
  if (flow.heartbeat?.stale) return "no heartbeat";
  if (isLagging(flow)) return "lagging";
  return null;
}

export interface Alert {
  key: string;
  kind: "cluster" | "flow";
  subject: string;
  href: string;
  text: string;
}

export function deriveAlerts(clusters: readonly ClusterListItem[], flows: readonly FlowListItem[]): Alert[] {
  const alerts: Alert[] = [];
  for (const c of clusters) {
    if (!c.health.reachable) {
      alerts.push({
        key: `cluster-${c.id}`,
        kind: "cluster",
        subject: c.alias,
        href: `#cluster-${c.alias}`,
        text: `is unreachable: ${c.health.error?.message ?? "its brokers did not answer"}`,
      });
    }
  }
  for (const f of flows) {
    const href = `/flows/${encodeURIComponent(f.id)}`;
    if (f.state === "ERROR") {
      alerts.push({
        key: `error-${f.id}`,
        kind: "flow",
        subject: f.name,
        href,
        text: `failed: ${f.stateReason ?? "no reason was given"}`,
      });
    }
    if (f.heartbeat?.stale) {
      alerts.push({
        key: `heartbeat-${f.id}`,
        kind: "flow",
        subject: f.name,
        href,
        text: `no heartbeat from ${f.sourceAlias} has reached ${f.targetAlias} ${
          f.heartbeat.ageMs === null ? "yet" : `for ${formatSeconds(f.heartbeat.ageMs / 1000)}`
        }`,
      });
    }
    if (isLagging(f)) {
      alerts.push({
        key: `lag-${f.id}`,
        kind: "flow",
        subject: f.name,
        href,
        text: `is ${formatSeconds(f.live.maxLagSeconds ?? 0)} behind${
          f.live.lagRecords === null ? "" : ` (${formatCount(f.live.lagRecords)} records)`
        }`,
      });
    }
  }
  return alerts;
}

export interface FleetTotals {
  recordsPerSec: number;
  bytesPerSec: number;
  worstLag: { flow: FlowListItem; records: number | null; seconds: number | null } | null;
  flowsActive: number;
  flowsTotal: number;
  clustersReachable: number;
  clustersTotal: number;
}

export function fleetTotals(
  clusters: readonly ClusterListItem[],
  flows: readonly FlowListItem[],
): FleetTotals {
  let recordsPerSec = 0;
  let bytesPerSec = 0;
  let worstLag: FleetTotals["worstLag"] = null;
  for (const f of flows) {
    if (!isReporting(f)) continue;
    recordsPerSec += f.live.recordsPerSec;
    bytesPerSec += f.live.bytesPerSec;
    const { lagRecords: records, maxLagSeconds: seconds } = f.live;
    if (records === null && seconds === null) continue;
    const worse =
      worstLag === null ||
      (seconds ?? 0) > (worstLag.seconds ?? 0) ||
      ((seconds ?? 0) === (worstLag.seconds ?? 0) && (records ?? 0) > (worstLag.records ?? 0));
    if (worse) worstLag = { flow: f, records, seconds };
  }
  return {
    recordsPerSec,
    bytesPerSec,
    worstLag,
    flowsActive: flows.filter(isActive).length,
    flowsTotal: flows.length,
    clustersReachable: clusters.filter((c) => c.health.reachable).length,
    clustersTotal: clusters.length,
  };
}
