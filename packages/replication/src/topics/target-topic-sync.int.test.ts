import { randomUUID } from "node:crypto";
import { createKafka } from "@mirrordeck/kafka";
import { createReplicationPolicy, DefaultConfigPropertyFilter } from "@mirrordeck/mm2";
import { Partitioners } from "kafkajs";
import { afterAll, describe, expect, it } from "vitest";
import { createKafkajsClusterAdmin } from "../kafkajs/kafkajs-cluster-admin.ts";
import type { ClusterAdmin, TopicConfigEntry } from "../ports/cluster-admin.ts";
import { syncTargetTopics } from "./target-topic-sync.ts";

const east = { alias: "east", bootstrapServers: `127.0.0.1:${process.env.EAST_KAFKA_PORT ?? 19092}` };
const west = { alias: "west", bootstrapServers: `127.0.0.1:${process.env.WEST_KAFKA_PORT ?? 29092}` };
const run = randomUUID().slice(0, 8);
const policy = createReplicationPolicy();

const source = createKafkajsClusterAdmin(east);
const target = createKafkajsClusterAdmin(west);
const created: Array<[ClusterAdmin, string]> = [];

function topicName(label: string): string {
  return `it-sync-${label}-${run}`;
}

async function createSource(
  name: string,
  partitions: number,
  configs: Record<string, string>,
): Promise<void> {
  await source.createTopic({ name, partitions, replicationFactor: 1, configs });
  created.push([source, name]);
}

/** Values set on the topic itself (dynamic topic configs), as a plain object. */
async function dynamicConfigs(admin: ClusterAdmin, topic: string): Promise<Record<string, string>> {
  const entries: TopicConfigEntry[] = (await admin.describeTopicConfigs([topic])).get(topic) ?? [];
  return Object.fromEntries(
    entries.filter((e) => !e.isDefault && e.value !== null).map((e) => [e.name, e.value!]),
  );
}

function sync(topics: string[]) {
  return syncTargetTopics({
    source,
    target,
    sourceAlias: "east",
    topics,
    remoteName: (topic) => policy.formatRemoteTopic("east", topic),
    replicationFactor: 1, // single-broker test clusters
    configFilter: new DefaultConfigPropertyFilter(),
    syncConfigs: true,
  });
}

afterAll(async () => {
  for (const [admin, topic] of created) await admin.deleteTopic(topic).catch(() => {});
  await Promise.all([source.close(), target.close()]);
});

describe("syncTargetTopics against real clusters", () => {
  it("creates, grows and config-syncs the remote topic, keeping target-only configs", async () => {
    const topic = topicName("orders");
    const remote = `east.${topic}`;
    await createSource(topic, 3, { "retention.ms": "3600000", "min.insync.replicas": "1" });
    created.push([target, remote]);

    // 1. Creation: partitions and filtered configs copied.
    const [first] = await sync([topic]);
    expect(first).toEqual({
      topic,
      remoteTopic: remote,
      created: true,
      configsUpdated: ["retention.ms"],
      targetPartitions: 3,
    });
    expect((await target.partitionCounts([remote])).get(remote)).toBe(3);
    const afterCreate = await dynamicConfigs(target, remote);
    expect(afterCreate["retention.ms"]).toBe("3600000");
    expect(afterCreate).not.toHaveProperty("min.insync.replicas");

    // 2. Partition growth follows the source.
    await source.createPartitions(topic, 5);
    await expect.poll(async () => (await source.partitionCounts([topic])).get(topic)).toBe(5);
    const [grown] = await sync([topic]);
    expect(grown).toMatchObject({
      created: false,
      partitionsAddedTo: 5,
      targetPartitions: 5,
      configsUpdated: [],
    });
    expect(grown?.error).toBeUndefined();
    await expect.poll(async () => (await target.partitionCounts([remote])).get(remote)).toBe(5);

    // 3. A source config change is synced; an operator's target-only config stays.
    await target.replaceTopicConfigs(remote, {
      ...(await dynamicConfigs(target, remote)),
      "retention.bytes": "1048576",
    });
    await source.replaceTopicConfigs(topic, { "retention.ms": "7200000", "min.insync.replicas": "1" });
    const [synced] = await sync([topic]);
    expect(synced).toMatchObject({ created: false, configsUpdated: ["retention.ms"], targetPartitions: 5 });
    expect(synced?.partitionsAddedTo).toBeUndefined();
    const afterSync = await dynamicConfigs(target, remote);
    expect(afterSync).toEqual({ "retention.ms": "7200000", "retention.bytes": "1048576" });

    // 4. Nothing changed: nothing reported, nothing written.
    const [again] = await sync([topic]);
    expect(again).toEqual({
      topic,
      remoteTopic: remote,
      created: false,
      configsUpdated: [],
      targetPartitions: 5,
    });
  });

  it("leaves a larger target alone and reports a missing source topic without stopping the others", async () => {
    const small = topicName("small");
    const fresh = topicName("fresh");
    const missing = topicName("missing");
    await createSource(small, 2, {});
    await createSource(fresh, 1, { "cleanup.policy": "compact" });
    await target.createTopic({ name: `east.${small}`, partitions: 4, replicationFactor: 1, configs: {} });
    created.push([target, `east.${small}`], [target, `east.${fresh}`]);

    const outcomes = await sync([small, missing, fresh]);
    expect(outcomes.map((o) => o.topic)).toEqual([small, missing, fresh]);
    expect(outcomes[0]).toEqual({
      topic: small,
      remoteTopic: `east.${small}`,
      created: false,
      configsUpdated: [],
      targetPartitions: 4,
    });
    expect(outcomes[1]?.error?.code).toBe("SOURCE_TOPIC_MISSING");
    expect(outcomes[1]?.error?.message).toContain(missing);
    expect(outcomes[2]).toMatchObject({
      created: true,
      targetPartitions: 1,
      configsUpdated: ["cleanup.policy"],
    });
    expect((await target.partitionCounts([`east.${small}`])).get(`east.${small}`)).toBe(4);
    expect((await target.listTopics()).includes(`east.${missing}`)).toBe(false);
    expect((await dynamicConfigs(target, `east.${fresh}`))["cleanup.policy"]).toBe("compact");
  });
});

describe("kafkajs ClusterAdmin partitionOffsets", () => {
  it("reports low 0 and high N after producing N records per partition", async () => {
    const topic = topicName("offsets");
    await createSource(topic, 2, {});
    const producer = createKafka(east).producer({
      createPartitioner: Partitioners.JavaCompatiblePartitioner,
      allowAutoTopicCreation: false,
    });
    await producer.connect();
    try {
      await producer.send({
        topic,
        messages: [
          ...Array.from({ length: 3 }, (_, i) => ({ partition: 0, value: `p0-${i}` })),
          ...Array.from({ length: 5 }, (_, i) => ({ partition: 1, value: `p1-${i}` })),
        ],
      });
    } finally {
      await producer.disconnect();
    }
    expect(await source.partitionOffsets(topic)).toEqual([
      { partition: 0, low: 0, high: 3 },
      { partition: 1, low: 0, high: 5 },
    ]);
  });
});
