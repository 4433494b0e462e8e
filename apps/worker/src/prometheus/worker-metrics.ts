import type { FlowLeaderStatus, FlowMetricsSnapshot } from "@mirrordeck/contracts";
import type { FlowHealth } from "@mirrordeck/replication";
import { Counter, collectDefaultMetrics, Gauge, Registry } from "prom-client";

/** What identifies a flow in every series: its id and the aliases it copies between. */
export interface FlowLabels {
  flowId: string;
  source: string;
  target: string;
}

const FLOW_STATES: readonly FlowHealth[] = ["STARTING", "RUNNING", "CATCHING_UP", "ERROR"];

const FLOW_LABELS = ["flow_id", "source", "target"] as const;

/**
 * This worker's Prometheus series, fed from what its flows already report (snapshots, health,
 * leader status): nothing is measured twice on the copy path. Series are per topic; per
 * partition only when asked for (`MIRRORDECK_METRICS_PER_PARTITION`), since a flow over 1,000
 * topics × partitions would otherwise make tens of thousands. A flow that stops here loses its
 * series, so a scrape only ever shows what this worker runs now.
 */
export class WorkerMetrics {
  readonly registry = new Registry();
  private readonly topicLabels: string[];
  private readonly recordsCopied: Counter;
  private readonly bytesCopied: Counter;
  private readonly lagRecords: Gauge;
  private readonly lagSeconds: Gauge;
  private readonly latency: Gauge;
  private readonly partitionsOwned: Gauge;
  private readonly partitionsInError: Gauge;
  private readonly topicsDrifting: Gauge;
  private readonly claims: Counter;
  private readonly flowState: Gauge;
  private readonly heartbeatAge: Gauge;
  private readonly checkpointAge: Gauge;
  private readonly checkpointsWritten: Gauge;
  /** recordsCopied last seen per partition (a runner's counts restart at 0 when it restarts). */
  private readonly lastCopied = new Map<string, number>();
  /** Every label set written per flow, to remove them when the flow stops here. */
  private readonly seriesOf = new Map<string, Map<string, Record<string, string>>>();
  private readonly flows = new Map<string, FlowLabels>();

  constructor(
    workerId: string,
    private readonly perPartition: boolean,
  ) {
    this.registry.setDefaultLabels({ worker: workerId });
    collectDefaultMetrics({ register: this.registry, prefix: "mirrordeck_worker_" });
    this.topicLabels = [...FLOW_LABELS, "topic", ...(perPartition ? ["partition"] : [])];
    const registers = [this.registry];
    this.recordsCopied = new Counter({
      name: "mirrordeck_records_copied_total",
      help: "Records written to the target and acknowledged (MM2: record-count).",
      labelNames: this.topicLabels,
      registers,
    });
    this.bytesCopied = new Counter({
      name: "mirrordeck_bytes_copied_total",
      help: "Bytes of records written to the target and acknowledged (MM2: byte-count).",
      labelNames: this.topicLabels,
      registers,
    });
    this.lagRecords = new Gauge({
      name: "mirrordeck_lag_records",
      help: "Source log-end offset minus the next offset to copy, summed over the label set.",
      labelNames: this.topicLabels,
      registers,
    });
    this.lagSeconds = new Gauge({
      name: "mirrordeck_lag_seconds",
      help: "How far behind the copy is in time (age of the newest copied record while lag > 0), worst over the label set (MM2: record-age-ms, in seconds).",
      labelNames: this.topicLabels,
      registers,
    });
    this.latency = new Gauge({
      name: "mirrordeck_replication_latency_seconds",
      help: "Target acknowledgement time minus the source record's timestamp, by quantile over the last interval, worst over the label set (MM2: replication-latency-ms).",
      labelNames: [...this.topicLabels, "quantile"],
      registers,
    });
    this.partitionsOwned = new Gauge({
      name: "mirrordeck_partitions_owned",
      help: "Source partitions this worker copies for the flow (its task ownership).",
      labelNames: FLOW_LABELS,
      registers,
    });
    this.partitionsInError = new Gauge({
      name: "mirrordeck_partitions_in_error",
      help: "Partitions of the flow on this worker that cannot be copied now.",
      labelNames: FLOW_LABELS,
      registers,
    });
    this.topicsDrifting = new Gauge({
      name: "mirrordeck_topics_drifting",
      help: "Remote topics of the flow out of step with their source topic (missing, too few partitions, configs differ) that the flow could not put back.",
      labelNames: FLOW_LABELS,
      registers,
    });
    this.claims = new Counter({
      name: "mirrordeck_partition_claims_total",
      help: "Partitions this worker took ownership of (start, rebalance, takeover of a dead worker's partitions).",
      labelNames: FLOW_LABELS,
      registers,
    });
    this.flowState = new Gauge({
      name: "mirrordeck_flow_state",
      help: "1 for the flow's current state on this worker, 0 for the others.",
      labelNames: [...FLOW_LABELS, "state"],
      registers,
    });
    this.heartbeatAge = new Gauge({
      name: "mirrordeck_heartbeat_age_seconds",
      help: "Age of the newest source heartbeat replicated onto the target; on the flow's leader only.",
      labelNames: FLOW_LABELS,
      registers,
    });
    this.checkpointAge = new Gauge({
      name: "mirrordeck_checkpoint_age_seconds",
      help: "Time since the flow's last checkpoint run (MM2: checkpoint-latency-ms is the closest); on the flow's leader only.",
      labelNames: FLOW_LABELS,
      registers,
    });
    this.checkpointsWritten = new Gauge({
      name: "mirrordeck_checkpoints_written",
      help: "Checkpoint records written since the flow's leader started.",
      labelNames: FLOW_LABELS,
      registers,
    });
  }

  /** The flow runs on this worker from now on. */
  flowStarted(flow: FlowLabels): void {
    this.flows.set(flow.flowId, flow);
    this.setFlowState(flow.flowId, "STARTING");
  }

  setFlowState(flowId: string, state: FlowHealth): void {
    const flow = this.flows.get(flowId);
    if (!flow) return;
    for (const s of FLOW_STATES)
      this.set(this.flowState, flowId, { ...labelsOf(flow), state: s }, s === state ? 1 : 0);
  }

  partitionsClaimed(flowId: string, count: number): void {
    const flow = this.flows.get(flowId);
    if (flow && count > 0) this.inc(this.claims, flowId, labelsOf(flow), count);
  }

  observeSnapshot(snapshot: FlowMetricsSnapshot): void {
    const flow = this.flows.get(snapshot.flowId);
    if (!flow) return;
    const base = labelsOf(flow);
    const groups = new Map<
      string,
      {
        labels: Record<string, string>;
        lag: number | null;
        lagSeconds: number | null;
        p50: number | null;
        p99: number | null;
        records: number;
        bytes: number;
      }
    >();
    let inError = 0;
    for (const p of snapshot.partitions) {
      if (p.state === "error") inError += 1;
      const key = `${snapshot.flowId}\u0000${p.topic}\u0000${p.partition}`;
      const previous = this.lastCopied.get(key);
      const records =
        previous === undefined || p.recordsCopied < previous ? p.recordsCopied : p.recordsCopied - previous;
      this.lastCopied.set(key, p.recordsCopied);
      const labels: Record<string, string> = this.perPartition
        ? { ...base, topic: p.topic, partition: String(p.partition) }
        : { ...base, topic: p.topic };
      const groupKey = this.perPartition ? key : `${p.topic}`;
      const group = groups.get(groupKey) ?? {
        labels,
        lag: null,
        lagSeconds: null,
        p50: null,
        p99: null,
        records: 0,
        bytes: 0,
      };
      group.records += records;
      group.bytes += (p.bytesPerSec * snapshot.intervalMs) / 1000;
      group.lag = sumOrNull(group.lag, p.lagRecords);
      group.lagSeconds = maxOrNull(group.lagSeconds, p.lagSeconds);
      group.p50 = maxOrNull(group.p50, p.latencyP50Ms);
      group.p99 = maxOrNull(group.p99, p.latencyP99Ms);
      groups.set(groupKey, group);
    }
    for (const g of groups.values()) {
      this.inc(this.recordsCopied, snapshot.flowId, g.labels, g.records);
      this.inc(this.bytesCopied, snapshot.flowId, g.labels, Math.round(g.bytes));
      this.setOrDrop(this.lagRecords, snapshot.flowId, g.labels, g.lag);
      this.setOrDrop(this.lagSeconds, snapshot.flowId, g.labels, g.lagSeconds);
      this.setOrDrop(this.latency, snapshot.flowId, { ...g.labels, quantile: "0.5" }, seconds(g.p50));
      this.setOrDrop(this.latency, snapshot.flowId, { ...g.labels, quantile: "0.99" }, seconds(g.p99));
    }
    this.set(this.partitionsOwned, snapshot.flowId, base, snapshot.partitions.length);
    this.set(this.partitionsInError, snapshot.flowId, base, inError);
    if (snapshot.topicDrift) this.set(this.topicsDrifting, snapshot.flowId, base, snapshot.topicDrift.count);
  }

  observeLeaderStatus(status: FlowLeaderStatus, now = Date.now()): void {
    const flow = this.flows.get(status.flowId);
    if (!flow) return;
    const base = labelsOf(flow);
    const replicated = status.heartbeats.lastReplicatedTimestamp;
    this.setOrDrop(
      this.heartbeatAge,
      status.flowId,
      base,
      replicated === null ? null : Math.max(0, (now - replicated) / 1000),
    );
    const lastRun = status.checkpoints.lastRunAt;
    this.setOrDrop(
      this.checkpointAge,
      status.flowId,
      base,
      lastRun === null ? null : Math.max(0, (now - Date.parse(lastRun)) / 1000),
    );
    this.set(this.checkpointsWritten, status.flowId, base, status.checkpoints.written);
  }

  /** The flow stopped on this worker: its series go. */
  flowStopped(flowId: string): void {
    for (const [key, labels] of this.seriesOf.get(flowId) ?? []) {
      const metric = this.registry.getSingleMetric(key.slice(0, key.indexOf("\u0000"))) as
        | Gauge
        | Counter
        | undefined;
      metric?.remove(labels);
    }
    this.seriesOf.delete(flowId);
    this.flows.delete(flowId);
    for (const key of this.lastCopied.keys())
      if (key.startsWith(`${flowId}\u0000`)) this.lastCopied.delete(key);
  }

  private set(metric: Gauge, flowId: string, labels: Record<string, string>, value: number): void {
    this.track(metric, flowId, labels);
    metric.set(labels, value);
  }

  private setOrDrop(
    metric: Gauge,
    flowId: string,
    labels: Record<string, string>,
    value: number | null,
  ): void {
    if (value === null) {
      metric.remove(labels);
      return;
    }
    this.set(metric, flowId, labels, value);
  }

  private inc(metric: Counter, flowId: string, labels: Record<string, string>, value: number): void {
    this.track(metric, flowId, labels);
    metric.inc(labels, value);
  }

  private track(metric: Gauge | Counter, flowId: string, labels: Record<string, string>): void {
    let series = this.seriesOf.get(flowId);
    if (!series) {
      series = new Map();
      this.seriesOf.set(flowId, series);
    }
    const name = (metric as unknown as { name: string }).name;
    series.set(`${name}\u0000${JSON.stringify(labels)}`, labels);
  }
}

const labelsOf = (flow: FlowLabels) => ({ flow_id: flow.flowId, source: flow.source, target: flow.target });
const seconds = (ms: number | null) => (ms === null ? null : ms / 1000);
const sumOrNull = (a: number | null, b: number | null) => (b === null ? a : (a ?? 0) + b);
const maxOrNull = (a: number | null, b: number | null) => (b === null ? a : a === null ? b : Math.max(a, b));
