import { type ClusterConnection, createKafka } from "@mirrordeck/kafka";
import {
  type Checkpoint,
  decodeCheckpoint,
  decodeOffsetSync,
  encodeCheckpointKey,
  encodeCheckpointValue,
  OffsetSyncStore,
  type OffsetSyncsTopicLocation,
  offsetSyncsTopicPlacement,
  type ReplicationPolicy,
  retainedOffsetSyncHistory,
} from "@mirrordeck/mm2";
import { readTopicToEnd } from "@mirrordeck/replication";
import type { FailoverContext } from "./failover-context.ts";

const READER_PREFIX = "__mirrordeck.failover-reader";

/** The flow's offset syncs, read to the end (the checkpoint leader's store, rebuilt). */
export function loadOffsetSyncStore(ctx: FailoverContext): Promise<OffsetSyncStore> {
  return loadOffsetSyncStoreOf(
    ctx.policy,
    ctx.spec.source,
    ctx.spec.target,
    ctx.spec.offsetSyncsTopicLocation,
  );
}

/** The offset syncs of the flow `source`→`target`, whichever flow that is. */
export async function loadOffsetSyncStoreOf(
  policy: ReplicationPolicy,
  source: ClusterConnection,
  target: ClusterConnection,
  location: OffsetSyncsTopicLocation,
): Promise<OffsetSyncStore> {
  const placement = offsetSyncsTopicPlacement(
    policy,
    { sourceClusterAlias: source.alias, targetClusterAlias: target.alias },
    location,
  );
  const cluster = placement.cluster === "source" ? source : target;
  const store = new OffsetSyncStore({ createHistory: retainedOffsetSyncHistory() });
  await readTopicToEnd(
    createKafka(cluster),
    placement.topic,
    (record) => {
      try {
        store.handleOffsetSync(decodeOffsetSync(record));
      } catch {
        // An unreadable sync is skipped, as the leader does.
      }
    },
    { groupPrefix: READER_PREFIX },
  );
  store.markReadToEnd();
  return store;
}

/** The latest checkpoint per group, remote topic and partition, from `<source>.checkpoints.internal`. */
export async function readLatestCheckpoints(ctx: FailoverContext): Promise<Map<string, Checkpoint>> {
  const latest = new Map<string, Checkpoint>();
  const topic = ctx.policy.checkpointsTopic(ctx.spec.source.alias);
  const present = await ctx.targetAdmin.listTopics();
  if (!present.includes(topic)) return latest;
  await readTopicToEnd(
    createKafka(ctx.spec.target),
    topic,
    (record) => {
      try {
        const c = decodeCheckpoint(record);
        latest.set(`${c.consumerGroupId}\u0000${c.topic}\u0000${c.partition}`, c);
      } catch {
        // Unreadable: skipped (the checkpoint leader does the same).
      }
    },
    { groupPrefix: READER_PREFIX },
  );
  return latest;
}

/** Appends checkpoints in MM2's format, so MirrorClient sees the handover too. */
export async function writeCheckpoints(ctx: FailoverContext, checkpoints: Checkpoint[]): Promise<void> {
  if (checkpoints.length === 0) return;
  const producer = createKafka(ctx.spec.target).producer({ allowAutoTopicCreation: false, idempotent: true });
  await producer.connect();
  try {
    await producer.send({
      topic: ctx.policy.checkpointsTopic(ctx.spec.source.alias),
      acks: -1,
      messages: checkpoints.map((c) => ({
        partition: 0,
        key: encodeCheckpointKey(c),
        value: encodeCheckpointValue(c),
      })),
    });
  } finally {
    await producer.disconnect().catch(() => {});
  }
}
