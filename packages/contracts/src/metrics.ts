import { z } from "zod";

/** Replication state of one source partition as its worker sees it. */
export const partitionStateSchema = z.enum(["running", "catching_up", "paused", "error", "idle"]);
export type PartitionState = z.infer<typeof partitionStateSchema>;

/** One source partition's live figures over the last publish interval. */
export const partitionMetricsSchema = z.object({
  topic: z.string(),
  partition: z.number().int().nonnegative(),
  remoteTopic: z.string(),
  state: partitionStateSchema,
  /** Why the partition is in error, in words an operator can act on. */
  error: z.string().nullable(),
  /** Source log-end offset (high watermark) last seen. */
  logEndOffset: z.number().nullable(),
  /** Next source offset to copy. */
  nextOffset: z.number().nullable(),
  /** True lag: logEndOffset − nextOffset, in records. */
  lagRecords: z.number().nullable(),
  /** How far behind the copy is, in seconds (age of the newest copied record while lag > 0). */
  lagSeconds: z.number().nullable(),
  recordsPerSec: z.number(),
  bytesPerSec: z.number(),
  /** Target ack time − source record timestamp. */
  latencyP50Ms: z.number().nullable(),
  latencyP99Ms: z.number().nullable(),
  recordsCopied: z.number(),
});
export type PartitionMetrics = z.infer<typeof partitionMetricsSchema>;

/** A selected topic whose remote topic is out of step with it, and why. */
export const topicDriftSchema = z.object({
  topic: z.string(),
  remoteTopic: z.string(),
  reason: z.string(),
});
export type TopicDrift = z.infer<typeof topicDriftSchema>;

/** At most this many drifting topics are named in a snapshot (the count is always whole). */
export const TOPIC_DRIFT_LISTED = 20;

/** What a worker publishes for a flow every few seconds. */
export const flowMetricsSnapshotSchema = z.object({
  flowId: z.string(),
  workerId: z.string(),
  at: z.string(),
  intervalMs: z.number(),
  partitions: z.array(partitionMetricsSchema),
  /**
   * Remote topics the worker's last topic sync found out of step with the source and could not
   * (or, with config sync off, does not) put back: missing, too few partitions, configs differ.
   */
  topicDrift: z
    .object({ count: z.number().int().nonnegative(), topics: z.array(topicDriftSchema) })
    .optional(),
});
export type FlowMetricsSnapshot = z.infer<typeof flowMetricsSnapshotSchema>;

/**
 * The series a chart or the history API merges the topics past its limit into (by lag); no Kafka
 * topic can have this name.
 */
export const OTHER_TOPICS = "(other topics)";

/** One rolled-up history point of a topic (per minute). */
export const topicMetricsPointSchema = z.object({
  at: z.string(),
  topic: z.string(),
  records: z.number(),
  bytes: z.number(),
  maxLagRecords: z.number().nullable(),
  maxLagSeconds: z.number().nullable(),
  latencyP50Ms: z.number().nullable(),
  latencyP99Ms: z.number().nullable(),
});
export type TopicMetricsPoint = z.infer<typeof topicMetricsPointSchema>;

/** Redis pub/sub channel carrying a flow's live snapshots. */
export const flowMetricsChannel = (flowId: string) => `mirrordeck:metrics:${flowId}`;
