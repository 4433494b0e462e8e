import { OTHER_TOPICS, type TopicMetricsPoint } from "@mirrordeck/contracts";
import type { Database } from "../client.ts";
import { Prisma } from "../generated/prisma/client.ts";

/** What a worker adds to a topic's minute: counts since its last sample, and the extremes seen. */
export interface TopicMinuteSample {
  topic: string;
  /** Any instant within the minute; it is truncated to the minute's start (UTC). */
  bucket: Date;
  records: number;
  bytes: number;
  maxLagRecords: number | null;
  maxLagSeconds: number | null;
  latencyP50Ms: number | null;
  latencyP99Ms: number | null;
}

export interface MetricsHistoryQuery {
  /** Inclusive. */
  from: Date;
  /** Exclusive. */
  to: Date;
  /** Width of a returned point; points start at multiples of the step since the Unix epoch. */
  stepSeconds: number;
  /** Only these topics; all topics when omitted. */
  topics?: string[];
  /**
   * At most this many topics by name: those with the most lag (then the most records) in the
   * range; the others are merged into one series, OTHER_TOPICS. A thousand-topic flow's hour is
   * then twenty series, not a thousand. All topics when omitted.
   */
  maxTopics?: number;
}

const MINUTE_MS = 60_000;

/** Longest history a single query may return per topic (a week of minutes). */
export const MAX_POINTS_PER_TOPIC = 10_080;

/**
 * Per-minute, per-topic metrics history of flows (`flow_metric_minute`).
 *
 * Bound: rows are keyed by (flow, topic, minute), so with the 24 h retention the worker applies
 * through {@link prune}, a flow holds at most 1,440 rows per replicated topic (24 h × 60 minutes),
 * however many workers or samples feed it.
 *
 * p50 merge: two samples of one minute combine their medians as a mean weighted by their record
 * counts (the plain mean when neither copied a record). It is an approximation — the median of a
 * union is not derivable from the medians — but unlike "latest wins" it does not let a quiet
 * sample hide a busy one. p99 keeps the maximum, an upper bound of the true p99.
 */
export class MetricsHistory {
  constructor(private readonly db: Database) {}

  /**
   * Adds samples to their minutes in ONE statement: records and bytes add up, lags and p99 keep
   * the maximum, p50 is the records-weighted mean. Samples of the same topic and minute within
   * one call are merged first, the same way.
   */
  async record(flowId: string, samples: TopicMinuteSample[]): Promise<void> {
    const merged = mergeSamples(samples);
    if (merged.length === 0) return;
    await this.db.$executeRaw`
      INSERT INTO "flow_metric_minute" AS m ("flow_id", "topic", "bucket", "records", "bytes",
        "max_lag_records", "max_lag_seconds", "latency_p50_ms", "latency_p99_ms")
      SELECT ${flowId}::uuid, v.*
      FROM unnest(
        ${merged.map((s) => s.topic)}::text[],
        ${merged.map((s) => new Date(s.bucketMs).toISOString())}::timestamptz[],
        ${merged.map((s) => s.records)}::bigint[],
        ${merged.map((s) => s.bytes)}::bigint[],
        ${merged.map((s) => s.maxLagRecords)}::bigint[],
        ${merged.map((s) => s.maxLagSeconds)}::float8[],
        ${merged.map((s) => s.latencyP50Ms)}::float8[],
        ${merged.map((s) => s.latencyP99Ms)}::float8[]
      ) AS v(topic, bucket, records, bytes, max_lag_records, max_lag_seconds, latency_p50_ms, latency_p99_ms)
      ON CONFLICT ("flow_id", "topic", "bucket") DO UPDATE SET
        "records" = m."records" + EXCLUDED."records",
        "bytes" = m."bytes" + EXCLUDED."bytes",
        "max_lag_records" = GREATEST(m."max_lag_records", EXCLUDED."max_lag_records"),
        "max_lag_seconds" = GREATEST(m."max_lag_seconds", EXCLUDED."max_lag_seconds"),
        "latency_p99_ms" = GREATEST(m."latency_p99_ms", EXCLUDED."latency_p99_ms"),
        "latency_p50_ms" = CASE
          WHEN m."latency_p50_ms" IS NULL THEN EXCLUDED."latency_p50_ms"
          WHEN EXCLUDED."latency_p50_ms" IS NULL THEN m."latency_p50_ms"
          WHEN m."records" + EXCLUDED."records" = 0
            THEN (m."latency_p50_ms" + EXCLUDED."latency_p50_ms") / 2
          ELSE (m."latency_p50_ms" * m."records" + EXCLUDED."latency_p50_ms" * EXCLUDED."records")
            / (m."records" + EXCLUDED."records")
        END`;
  }

  /**
   * The flow's history from `from` (inclusive) to `to` (exclusive), rolled up into points of
   * `stepSeconds` (aligned to the Unix epoch, so a chart's points do not shift between refreshes):
   * records and bytes summed, lags and p99 the maximum, p50 the mean of the minutes' p50s. Ordered
   * by time, then topic; a point exists only where a minute was recorded.
   */
  async query(flowId: string, q: MetricsHistoryQuery): Promise<TopicMetricsPoint[]> {
    if (!Number.isInteger(q.stepSeconds) || q.stepSeconds <= 0) {
      throw new RangeError(`stepSeconds must be a positive integer, got ${q.stepSeconds}`);
    }
    const spanMs = q.to.getTime() - q.from.getTime();
    if (Number.isNaN(spanMs)) throw new RangeError("from and to must be valid dates");
    if (spanMs <= 0 || q.topics?.length === 0) return [];
    const points = Math.ceil(spanMs / (Math.max(q.stepSeconds, 60) * 1000));
    if (points > MAX_POINTS_PER_TOPIC) {
      throw new RangeError(
        `query spans ${points} points per topic; at most ${MAX_POINTS_PER_TOPIC} (raise stepSeconds)`,
      );
    }
    const topicFilter = q.topics ? Prisma.sql`AND "topic" = ANY(${q.topics}::text[])` : Prisma.empty;
    const maxTopics = q.maxTopics ?? 2_147_483_647;
    // Per topic and point first; then the topics past `maxTopics` by lag are summed into one
    // series (their lags add up: each is a different topic's backlog).
    const rows = await this.db.$queryRaw<
      {
        at: Date;
        topic: string;
        records: number;
        bytes: number;
        max_lag_records: number | null;
        max_lag_seconds: number | null;
        latency_p50_ms: number | null;
        latency_p99_ms: number | null;
      }[]
    >`
      WITH per_topic AS (
        SELECT date_bin(make_interval(secs => ${q.stepSeconds}::int), "bucket", TIMESTAMPTZ '1970-01-01 00:00:00+00') AS at,
               "topic",
               sum("records")::float8 AS records,
               sum("bytes")::float8 AS bytes,
               max("max_lag_records")::float8 AS max_lag_records,
               max("max_lag_seconds") AS max_lag_seconds,
               avg("latency_p50_ms") AS latency_p50_ms,
               max("latency_p99_ms") AS latency_p99_ms
        FROM "flow_metric_minute"
        WHERE "flow_id" = ${flowId}::uuid
          AND "bucket" >= ${q.from.toISOString()}::timestamptz
          AND "bucket" < ${q.to.toISOString()}::timestamptz
          ${topicFilter}
        GROUP BY 1, 2
      ), per_topic_totals AS (
        SELECT *,
               max(max_lag_records) OVER (PARTITION BY "topic") AS topic_lag,
               sum(records) OVER (PARTITION BY "topic") AS topic_records
        FROM per_topic
      ), ranked AS (
        -- One rank per topic (no join: a join's plan goes wrong on a table not analysed yet).
        SELECT *, dense_rank() OVER (ORDER BY topic_lag DESC NULLS LAST, topic_records DESC, "topic") AS rank
        FROM per_topic_totals
      )
      SELECT at,
             CASE WHEN rank <= ${maxTopics}::int THEN "topic" ELSE ${OTHER_TOPICS} END AS topic,
             sum(records)::float8 AS records,
             sum(bytes)::float8 AS bytes,
             sum(max_lag_records)::float8 AS max_lag_records,
             max(max_lag_seconds) AS max_lag_seconds,
             avg(latency_p50_ms) AS latency_p50_ms,
             max(latency_p99_ms) AS latency_p99_ms
      FROM ranked
      GROUP BY 1, 2
      ORDER BY 1, 2`;
    return rows.map((r) => ({
      at: r.at.toISOString(),
      topic: r.topic,
      records: r.records,
      bytes: r.bytes,
      maxLagRecords: r.max_lag_records,
      maxLagSeconds: r.max_lag_seconds,
      latencyP50Ms: r.latency_p50_ms,
      latencyP99Ms: r.latency_p99_ms,
    }));
  }

  /** Deletes every flow's minutes that start before `olderThan`; returns how many were deleted. */
  async prune(olderThan: Date): Promise<number> {
    return this.db.$executeRaw`
      DELETE FROM "flow_metric_minute" WHERE "bucket" < ${olderThan.toISOString()}::timestamptz`;
  }
}

interface MergedSample extends Omit<TopicMinuteSample, "bucket"> {
  bucketMs: number;
}

/** Truncates samples to their minute and merges those of one topic and minute (see the class doc). */
function mergeSamples(samples: TopicMinuteSample[]): MergedSample[] {
  const byKey = new Map<string, MergedSample>();
  for (const s of samples) {
    const ms = s.bucket.getTime();
    if (Number.isNaN(ms)) throw new RangeError(`bucket of ${s.topic} is not a valid date`);
    for (const [name, value] of [
      ["records", s.records],
      ["bytes", s.bytes],
      ["maxLagRecords", s.maxLagRecords ?? 0],
    ] as const) {
      if (!Number.isSafeInteger(value) || value < 0) {
        throw new RangeError(`${name} of ${s.topic} must be a non-negative integer, got ${value}`);
      }
    }
    const bucketMs = Math.floor(ms / MINUTE_MS) * MINUTE_MS;
    const key = `${bucketMs}:${s.topic}`;
    const prev = byKey.get(key);
    const next: MergedSample = {
      topic: s.topic,
      bucketMs,
      records: s.records,
      bytes: s.bytes,
      maxLagRecords: s.maxLagRecords,
      maxLagSeconds: s.maxLagSeconds,
      latencyP50Ms: s.latencyP50Ms,
      latencyP99Ms: s.latencyP99Ms,
    };
    byKey.set(key, prev ? mergeTwo(prev, next) : next);
  }
  return [...byKey.values()];
}

function mergeTwo(a: MergedSample, b: MergedSample): MergedSample {
  return {
    topic: a.topic,
    bucketMs: a.bucketMs,
    records: a.records + b.records,
    bytes: a.bytes + b.bytes,
    maxLagRecords: maxOrNull(a.maxLagRecords, b.maxLagRecords),
    maxLagSeconds: maxOrNull(a.maxLagSeconds, b.maxLagSeconds),
    latencyP99Ms: maxOrNull(a.latencyP99Ms, b.latencyP99Ms),
    latencyP50Ms: weightedP50(a, b),
  };
}

// Same rules as the ON CONFLICT clause of record().
function weightedP50(a: MergedSample, b: MergedSample): number | null {
  if (a.latencyP50Ms === null) return b.latencyP50Ms;
  if (b.latencyP50Ms === null) return a.latencyP50Ms;
  const total = a.records + b.records;
  if (total === 0) return (a.latencyP50Ms + b.latencyP50Ms) / 2;
  return (a.latencyP50Ms * a.records + b.latencyP50Ms * b.records) / total;
}

// GREATEST() in Postgres ignores NULLs; so does this.
function maxOrNull(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}
