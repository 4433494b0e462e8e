import type { FlowState } from "@mirrordeck/contracts";
import { type Database, listEnabledFlows, recordFlowEvent, setFlowState } from "@mirrordeck/db";
import { flowSpecFromRow, specFingerprint } from "@mirrordeck/failover";
import {
  type FlowHealth,
  FlowRunner,
  type FlowSpec,
  mapLimit,
  type PositionStore,
} from "@mirrordeck/replication";
import type { SecretBox } from "@mirrordeck/security";
import type { Logger } from "./logger.ts";
import type { MetricsPublisher } from "./metrics-publisher.ts";
import type { WorkerMetrics } from "./prometheus/worker-metrics.ts";
import type { RetryingWrites } from "./retrying-writes.ts";

interface Running {
  runner: FlowRunner;
  fingerprint: string;
}

interface StartFailures {
  fingerprint: string;
  failures: number;
  nextAttemptAt: number;
}

/** A flow that cannot start (refused credentials, a cluster away) is tried again after this, doubling. */
const START_RETRY_MIN_MS = 10_000;
const START_RETRY_MAX_MS = 5 * 60_000;
/**
 * Flows started at once: a start mostly waits (group join, metadata, topic creation), so fifty
 * flows one after the other would take minutes after a worker restart.
 */
const FLOW_STARTS_IN_FLIGHT = 8;

const HEALTH_TO_STATE: Record<FlowHealth, FlowState> = {
  STARTING: "STARTING",
  RUNNING: "RUNNING",
  CATCHING_UP: "CATCHING_UP",
  ERROR: "ERROR",
};

/**
 * Keeps this worker running exactly the enabled flows: starts new ones, stops disabled or
 * deleted ones, restarts edited ones. Every worker runs every enabled flow; Kafka's group
 * protocol splits each flow's partitions between them.
 */
export class FlowSupervisor {
  private readonly running = new Map<string, Running>();
  /** Flows whose start failed: not tried again before their time, unless they are edited. */
  private readonly startFailures = new Map<string, StartFailures>();
  private reconciling: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly db: Database,
    private readonly positions: PositionStore,
    private readonly metrics: MetricsPublisher,
    private readonly workerId: string,
    private readonly log: Logger,
    private readonly secrets: () => SecretBox,
    private readonly writes: RetryingWrites,
    private readonly prometheus: WorkerMetrics,
  ) {}

  /** Serialised: overlapping triggers (timer, broadcast, job) never run two reconciles at once. */
  reconcile(): Promise<void> {
    this.reconciling = this.reconciling
      .then(() => this.reconcileOnce())
      .catch((error) => {
        this.log.error({ err: String(error) }, "reconcile failed");
      });
    return this.reconciling;
  }

  private async reconcileOnce(): Promise<void> {
    if (this.stopped) return;
    const rows = await listEnabledFlows(this.db);
    const wanted = new Map<string, FlowSpec>();
    for (const row of rows) {
      try {
        wanted.set(row.id, flowSpecFromRow(row, this.secrets));
      } catch (error) {
        // Not startable as stored (e.g. a secret this worker's key cannot open): say so, skip it.
        const reason = `Cannot use the flow's cluster settings: ${(error as Error).message}`;
        if (await setFlowState(this.db, row.id, "ERROR", reason)) {
          await recordFlowEvent(this.db, row.id, "flow.error", reason);
        }
      }
    }
    for (const [flowId, running] of this.running) {
      const spec = wanted.get(flowId);
      if (!spec || specFingerprint(spec) !== running.fingerprint) {
        this.running.delete(flowId);
        await running.runner.stop();
        this.prometheus.flowStopped(flowId);
      }
    }
    for (const flowId of this.startFailures.keys()) {
      if (wanted.has(flowId)) continue;
      this.startFailures.delete(flowId);
      this.prometheus.flowStopped(flowId);
    }
    const toStart = [...wanted].filter(([flowId, spec]) => {
      if (this.running.has(flowId)) return false;
      const failed = this.startFailures.get(flowId);
      return !(failed && failed.fingerprint === specFingerprint(spec) && Date.now() < failed.nextAttemptAt);
    });
    await mapLimit(toStart, FLOW_STARTS_IN_FLIGHT, ([flowId, spec]) => this.startFlow(flowId, spec));
  }

  private async startFlow(flowId: string, spec: FlowSpec): Promise<void> {
    if (this.stopped) return;
    const failed = this.startFailures.get(flowId);
    const flowLog = this.log.child({ flowId, source: spec.source.alias, target: spec.target.alias });
    const runner = new FlowRunner(spec, {
      positions: this.positions,
      owner: this.workerId,
      log: flowLog,
      onMetrics: (snapshot) => {
        this.metrics.publish(snapshot);
        this.prometheus.observeSnapshot(snapshot);
      },
      onLeaderStatus: (status) => {
        this.metrics.publishLeaderStatus(status);
        this.prometheus.observeLeaderStatus(status);
      },
      onPartitionsClaimed: (count) => this.prometheus.partitionsClaimed(flowId, count),
      onEvent: (event) =>
        this.writes.run(() =>
          recordFlowEvent(this.db, flowId, event.kind, event.message, {
            ...event.details,
            workerId: this.workerId,
          }),
        ),
      onHealth: (health, reason) => {
        this.prometheus.setFlowState(flowId, health);
        this.writes.run(() => this.recordHealth(flowId, health, reason), `state:${flowId}`);
      },
    });
    this.prometheus.flowStarted({ flowId, source: spec.source.alias, target: spec.target.alias });
    const fingerprint = specFingerprint(spec);
    this.running.set(flowId, { runner, fingerprint });
    try {
      await runner.start();
      this.startFailures.delete(flowId);
    } catch (error) {
      const failures = failed?.fingerprint === fingerprint ? failed.failures + 1 : 1;
      const delay = Math.min(START_RETRY_MAX_MS, START_RETRY_MIN_MS * 2 ** (failures - 1));
      this.startFailures.set(flowId, { fingerprint, failures, nextAttemptAt: Date.now() + delay });
      flowLog.error({ err: String(error), failures, retryInMs: delay }, "flow failed to start; will retry");
      this.running.delete(flowId);
      await runner.stop().catch(() => {});
      this.prometheus.setFlowState(flowId, "ERROR");
      const reason = `Could not start: ${(error as Error).message} (attempt ${failures}; next in ${Math.round(delay / 1000)} s, or at once when the flow or its clusters are edited)`;
      this.writes.run(() => this.recordHealth(flowId, "ERROR", reason), `state:${flowId}`);
    }
  }

  /** Throws when Postgres cannot be written: the caller keeps it for a retry. */
  private async recordHealth(flowId: string, health: FlowHealth, reason: string | null): Promise<void> {
    const changed = await setFlowState(this.db, flowId, HEALTH_TO_STATE[health], reason);
    if (changed) {
      await recordFlowEvent(this.db, flowId, "flow.state", reason ? `${health}: ${reason}` : health, {
        state: health,
        workerId: this.workerId,
      });
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.reconciling;
    await Promise.all([...this.running.values()].map((r) => r.runner.stop()));
    this.running.clear();
  }
}
