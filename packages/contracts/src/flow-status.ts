import { z } from "zod";

/** A consumer group's state on the target, as the checkpoint leader last saw it. */
export const targetGroupStateSchema = z.enum(["absent", "empty", "active"]);

/** Whether translated offsets were written into the group on the target (`sync.group.offsets`). */
export const groupOffsetSyncOutcomeSchema = z.enum([
  /** `sync.group.offsets.enabled` is off for the flow. */
  "disabled",
  /** Offsets were moved forward in this round. */
  "synced",
  /** Nothing to move: the target group is at or past every checkpoint. */
  "up-to-date",
  /** The group has members on the target: its offsets belong to them, never overwritten. */
  "skipped-active",
  "error",
]);

/** One source partition of a consumer group and its translation onto the target. */
export const groupPartitionStatusSchema = z.object({
  topic: z.string(),
  partition: z.number().int().nonnegative(),
  remoteTopic: z.string(),
  /** The group's committed offset on the source. */
  sourceCommitted: z.number(),
  /** Downstream offset of the latest checkpoint for this partition; null before the first. */
  translated: z.number().nullable(),
  /** When that checkpoint was written (ISO); null before the first. */
  checkpointAt: z.string().nullable(),
  /** Source log-end offset − committed offset. */
  sourceLag: z.number().nullable(),
  /** Remote partition's log-end offset − translated offset. */
  targetLag: z.number().nullable(),
  /** Why the offset is not (yet) translated, in words. */
  note: z.string().nullable(),
});
export type GroupPartitionStatus = z.infer<typeof groupPartitionStatusSchema>;

export const groupCheckpointStatusSchema = z.object({
  group: z.string(),
  targetState: targetGroupStateSchema.nullable(),
  offsetSync: groupOffsetSyncOutcomeSchema,
  offsetSyncError: z.string().nullable(),
  partitions: z.array(groupPartitionStatusSchema),
});
export type GroupCheckpointStatus = z.infer<typeof groupCheckpointStatusSchema>;

/** What a flow's leader (the worker running its checkpoints and heartbeats) publishes. */
/** The flow leader's topic ACL sync (MM2's `sync.topic.acls.*`). */
export const flowAclSyncStatusSchema = z.object({
  enabled: z.boolean(),
  intervalSeconds: z.number(),
  lastRunAt: z.string().nullable(),
  nextRunAt: z.string().nullable(),
  /** Why the last round did not run through, in words; null when it did. */
  problem: z.string().nullable(),
  /** Bindings the leader created on the target since it took the lead. */
  createdTotal: z.number(),
  /** Of the last round's plan; null when a side could not be read. */
  toCreate: z.number().nullable(),
  present: z.number().nullable(),
  targetOnly: z.number().nullable(),
});
export type FlowAclSyncStatus = z.infer<typeof flowAclSyncStatusSchema>;

export const flowLeaderStatusSchema = z.object({
  flowId: z.string(),
  workerId: z.string(),
  at: z.string(),
  offsetSyncs: z.object({
    topic: z.string(),
    /** False until the topic was read to its end once; no checkpoint is written before. */
    readToEnd: z.boolean(),
    partitions: z.number(),
    syncsKept: z.number(),
  }),
  checkpoints: z.object({
    enabled: z.boolean(),
    topic: z.string(),
    lastRunAt: z.string().nullable(),
    lastError: z.string().nullable(),
    /** Checkpoint records written since the leader started. */
    written: z.number(),
  }),
  heartbeats: z.object({
    enabled: z.boolean(),
    lastEmittedAt: z.string().nullable(),
    emitError: z.string().nullable(),
    /** The source's heartbeats as replicated onto the target (e.g. `east.heartbeats`). */
    replicatedTopic: z.string(),
    /** Timestamp (epoch ms) of the newest replicated heartbeat read from the target. */
    lastReplicatedTimestamp: z.number().nullable(),
    /** When the leader started watching for them (epoch ms). */
    watchingSince: z.number().nullable(),
  }),
  groups: z.array(groupCheckpointStatusSchema),
  /** Absent from leaders older than topic ACL sync. */
  acls: flowAclSyncStatusSchema.optional(),
});
export type FlowLeaderStatus = z.infer<typeof flowLeaderStatusSchema>;

/** Redis key holding a flow's latest leader status (JSON, with a TTL). */
export const flowLeaderStatusKey = (flowId: string) => `mirrordeck:leader-status:${flowId}`;

/** A replicated heartbeat older than this marks the flow unhealthy, whatever its workers say. */
export const HEARTBEAT_STALE_AFTER_MS = 30_000;

/**
 * Age of the newest heartbeat that made it through the data plane onto the target, and whether
 * that is too old. `null` age: none seen yet (or heartbeats are off).
 */
export function replicatedHeartbeatHealth(
  status: Pick<FlowLeaderStatus, "heartbeats"> | null,
  now: number,
  staleAfterMs: number = HEARTBEAT_STALE_AFTER_MS,
): { ageMs: number | null; stale: boolean } {
  if (status === null || !status.heartbeats.enabled) return { ageMs: null, stale: false };
  const { lastReplicatedTimestamp, watchingSince } = status.heartbeats;
  if (lastReplicatedTimestamp === null) {
    // None arrived yet: only a problem once the leader has waited longer than the threshold.
    const waited = watchingSince === null ? 0 : now - watchingSince;
    return { ageMs: null, stale: waited > staleAfterMs };
  }
  const ageMs = Math.max(0, now - lastReplicatedTimestamp);
  return { ageMs, stale: ageMs > staleAfterMs };
}
