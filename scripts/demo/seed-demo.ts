import { createDatabase, ensureFlow, upsertCluster } from "@mirrordeck/db";
import { createKafka } from "@mirrordeck/kafka";

export interface DemoClusters {
  eastBootstrap: string;
  westBootstrap: string;
}

export const DEMO_TOPIC = "orders";
export const DEMO_PARTITIONS = 6;

/** Registers clusters `east` and `west`, creates `orders` on east and a flow east→west over it. */
export async function seedDemo(databaseUrl: string, clusters: DemoClusters): Promise<void> {
  await ensureTopic(clusters.eastBootstrap, DEMO_TOPIC, DEMO_PARTITIONS);
  const db = createDatabase(databaseUrl, { maxConnections: 2 });
  try {
    const east = await upsertCluster(db, { alias: "east", bootstrapServers: clusters.eastBootstrap });
    const west = await upsertCluster(db, { alias: "west", bootstrapServers: clusters.westBootstrap });
    await ensureFlow(db, {
      name: "east-to-west",
      sourceClusterId: east.id,
      targetClusterId: west.id,
      topicsInclude: DEMO_TOPIC,
      // Single-broker demo clusters cannot hold more than one replica.
      replicationFactor: 1,
      enabled: true,
      // Checkpoints every 10 s and new groups within 30 s, so the demo shows them soon (MM2: 60 s, 600 s).
      settings: { emitCheckpointsIntervalSeconds: 10, refreshGroupsIntervalSeconds: 30 },
    });
  } finally {
    await db.$disconnect();
  }
}

async function ensureTopic(bootstrapServers: string, topic: string, partitions: number): Promise<void> {
  const admin = createKafka({ alias: "east", bootstrapServers }).admin();
  await admin.connect();
  try {
    const existing = await admin.listTopics();
    if (!existing.includes(topic)) {
      await admin.createTopics({
        topics: [{ topic, numPartitions: partitions, replicationFactor: 1 }],
        waitForLeaders: true,
      });
    }
  } finally {
    await admin.disconnect();
  }
}
