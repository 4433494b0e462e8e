import {
  type FlowLeaderStatus,
  type FlowMetricsSnapshot,
  flowLeaderStatusKey,
  flowMetricsChannel,
} from "@mirrordeck/contracts";
import type { MetricsHistory } from "@mirrordeck/db";
import type { Redis } from "ioredis";
import type { Logger } from "./logger.ts";
import type { RetryingWrites } from "./retrying-writes.ts";

interface TopicMinute {
  records: number;
  bytes: number;
  maxLagRecords: number | null;
  maxLagSeconds: number | null;
  latencyP50Ms: number | null;
  latencyP99Ms: number | null;
}

const LATEST_TTL_SECONDS = 60;
/** Kept long after its leader stops publishing: the UI reads the staleness from its timestamps. */
const LEADER_STATUS_TTL_SECONDS = 24 * 3600;

/**
 * Sends each flow snapshot live over Redis pub/sub, keeps the latest per worker in Redis (for
 * list views), and rolls snapshots up per topic and minute into the metrics history.
 */
export class MetricsPublisher {
  private readonly minutes = new Map<string, Map<string, TopicMinute>>();
  private currentBucket = minuteOf(Date.now());

  constructor(
    private readonly redis: Redis,
    private readonly history: MetricsHistory,
    private readonly log: Logger,
    private readonly writes: RetryingWrites,
  ) {}

  publish(snapshot: FlowMetricsSnapshot): void {
    const payload = JSON.stringify(snapshot);
    void this.redis
      .multi()
      .publish(flowMetricsChannel(snapshot.flowId), payload)
      .set(
        `mirrordeck:metrics-latest:${snapshot.flowId}:${snapshot.workerId}`,
        payload,
        "EX",
        LATEST_TTL_SECONDS,
      )
      .exec()
      .catch((error) => this.log.warn({ err: String(error) }, "metrics publish failed"));
    this.accumulate(snapshot);
  }

  /** The flow's checkpoint and heartbeat status, from its leader. */
  publishLeaderStatus(status: FlowLeaderStatus): void {
    void this.redis
      .set(flowLeaderStatusKey(status.flowId), JSON.stringify(status), "EX", LEADER_STATUS_TTL_SECONDS)
      .catch((error) => this.log.warn({ err: String(error) }, "leader status publish failed"));
  }

  private accumulate(snapshot: FlowMetricsSnapshot): void {
    const bucket = minuteOf(Date.parse(snapshot.at));
    if (bucket !== this.currentBucket) this.flush();
    let topics = this.minutes.get(snapshot.flowId);
    if (!topics) {
      topics = new Map();
      this.minutes.set(snapshot.flowId, topics);
    }
    const seconds = snapshot.intervalMs / 1000;
    for (const p of snapshot.partitions) {
      const m = topics.get(p.topic) ?? {
        records: 0,
        bytes: 0,
        maxLagRecords: null,
        maxLagSeconds: null,
        latencyP50Ms: null,
        latencyP99Ms: null,
      };
      m.records += Math.round(p.recordsPerSec * seconds);
      m.bytes += Math.round(p.bytesPerSec * seconds);
      m.maxLagRecords = maxOf(m.maxLagRecords, p.lagRecords);
      m.maxLagSeconds = maxOf(m.maxLagSeconds, p.lagSeconds);
      m.latencyP50Ms = maxOf(m.latencyP50Ms, p.latencyP50Ms);
      m.latencyP99Ms = maxOf(m.latencyP99Ms, p.latencyP99Ms);
      topics.set(p.topic, m);
    }
  }

  /**
   * Hands the minute collected so far to the writes (on minute change and at shutdown); one that
   * fails (Postgres away) is written when Postgres is back, so the history keeps every minute.
   */
  flush(): void {
    const bucket = new Date(this.currentBucket);
    this.currentBucket = minuteOf(Date.now());
    const pending = [...this.minutes.entries()];
    this.minutes.clear();
    for (const [flowId, topics] of pending) {
      const samples = [...topics.entries()].map(([topic, m]) => ({ topic, bucket, ...m }));
      this.writes.run(() => this.history.record(flowId, samples));
    }
  }
}

function minuteOf(ms: number): number {
  return Math.floor(ms / 60_000) * 60_000;
}

function maxOf(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}
