import { type ClusterConnection, createKafka } from "@mirrordeck/kafka";
import type { ClusterAdmin } from "../ports/cluster-admin.ts";

/**
 * Creates one of MM2's internal topics (offset syncs, checkpoints, heartbeats) if it is missing:
 * one partition, compacted, as MM2 does. MM2 wants 3 replicas; a smaller cluster gets as many as
 * it has brokers.
 */
export async function ensureInternalTopic(
  cluster: ClusterConnection,
  admin: ClusterAdmin,
  topic: string,
): Promise<void> {
  await admin.createTopic({
    name: topic,
    partitions: 1,
    replicationFactor: await internalReplicationFactor(cluster),
    configs: { "cleanup.policy": "compact" },
  });
}

async function internalReplicationFactor(cluster: ClusterConnection): Promise<number> {
  const admin = createKafka(cluster).admin();
  await admin.connect();
  try {
    const { brokers } = await admin.describeCluster();
    return Math.min(3, brokers.length);
  } finally {
    await admin.disconnect();
  }
}
