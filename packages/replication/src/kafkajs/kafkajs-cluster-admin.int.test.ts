import { randomUUID } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { adminRejection } from "../../../../scripts/test-support/admin-rejection.ts";
import { createKafkajsClusterAdmin } from "./kafkajs-cluster-admin.ts";

const east = { alias: "east", bootstrapServers: `127.0.0.1:${process.env.EAST_KAFKA_PORT ?? 19092}` };
const run = randomUUID().slice(0, 8);
const admin = createKafkajsClusterAdmin(east);
const created: string[] = [];

async function newTopic(
  label: string,
  partitions = 1,
  configs: Record<string, string> = {},
): Promise<string> {
  const name = `it-admin-${label}-${run}`;
  await admin.createTopic({ name, partitions, replicationFactor: 1, configs });
  created.push(name);
  return name;
}

afterAll(async () => {
  for (const topic of created) await admin.deleteTopic(topic).catch(() => {});
  await admin.close();
});

describe("kafkajs ClusterAdmin", () => {
  it("creates a topic once and succeeds quietly when it exists", async () => {
    const topic = await newTopic("create", 2);
    await admin.createTopic({ name: topic, partitions: 7, replicationFactor: 1, configs: {} });
    expect((await admin.partitionCounts([topic, `absent-${run}`])).get(topic)).toBe(2);
    expect((await admin.partitionCounts([`absent-${run}`])).size).toBe(0);
  });

  it("marks broker-level values (server.properties) as default, topic overrides as set", async () => {
    const topic = await newTopic("configs", 1, { "retention.ms": "3600000" });
    const entries = new Map(
      ((await admin.describeTopicConfigs([topic])).get(topic) ?? []).map((e) => [e.name, e]),
    );
    expect(entries.get("retention.ms")).toMatchObject({ value: "3600000", isDefault: false });
    // The stack's brokers set log.segment.bytes=67108864: kafkajs says isDefault false for it.
    expect(entries.get("segment.bytes")).toMatchObject({ value: "67108864", isDefault: true });
    expect(entries.get("cleanup.policy")).toMatchObject({ value: "delete", isDefault: true });
  });

  it("describes several topics at once and leaves out missing ones", async () => {
    const a = await newTopic("describe-a");
    const b = await newTopic("describe-b");
    const configs = await admin.describeTopicConfigs([a, `absent-${run}`, b]);
    expect([...configs.keys()].sort()).toEqual([a, b].sort());
    expect(configs.get(a)?.length).toBeGreaterThan(10);
  });

  it("replaceTopicConfigs replaces the whole dynamic set (AlterConfigs is not incremental)", async () => {
    const topic = await newTopic("replace", 1, { "retention.ms": "3600000" });
    await admin.replaceTopicConfigs(topic, { "retention.bytes": "1048576" });
    const dynamic = ((await admin.describeTopicConfigs([topic])).get(topic) ?? []).filter(
      (e) => !e.isDefault,
    );
    expect(dynamic.map((e) => [e.name, e.value])).toEqual([["retention.bytes", "1048576"]]);
  });

  it("translates an invalid config value into INVALID_CONFIG naming cluster and topic", async () => {
    const topic = await newTopic("invalid");
    const error = await adminRejection(admin.replaceTopicConfigs(topic, { "retention.ms": "soon" }));
    expect(error.code).toBe("INVALID_CONFIG");
    expect(error.message).toContain("east");
    expect(error.message).toContain(topic);
  });

  it("grows partitions and never shrinks", async () => {
    const topic = await newTopic("grow", 2);
    await admin.createPartitions(topic, 4);
    await admin.createPartitions(topic, 3); // smaller: no-op, no error
    await expect.poll(async () => (await admin.partitionCounts([topic])).get(topic)).toBe(4);
  });

  it("keeps working after a topic it read offsets of is deleted by someone else", async () => {
    const topic = await newTopic("stale");
    expect(await admin.partitionOffsets(topic)).toEqual([{ partition: 0, low: 0, high: 0 }]);
    const other = createKafkajsClusterAdmin(east);
    try {
      await other.deleteTopic(topic);
    } finally {
      await other.close();
    }
    const next = await newTopic("after-stale");
    expect((await admin.partitionCounts([next])).get(next)).toBe(1);
    // Deleting a topic that is already gone is a quick no-op.
    const started = Date.now();
    await admin.deleteTopic(topic);
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it("reports a missing topic's offsets fast", async () => {
    const started = Date.now();
    const error = await adminRejection(admin.partitionOffsets(`absent-${run}`));
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(error.kafkaErrorType).toBe("UNKNOWN_TOPIC_OR_PARTITION");
    expect(error.message).toContain(`absent-${run}`);
  });

  it("says CLUSTER_UNREACHABLE, naming the alias, for a closed port", async () => {
    const nowhere = createKafkajsClusterAdmin(
      { alias: "nowhere", bootstrapServers: "127.0.0.1:1" },
      { retry: { retries: 1, initialRetryTime: 100, maxRetryTime: 200 } },
    );
    try {
      const started = Date.now();
      const error = await adminRejection(nowhere.listTopics());
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(error.code).toBe("CLUSTER_UNREACHABLE");
      expect(error.message).toContain("nowhere");
      expect(error.clusterAlias).toBe("nowhere");
    } finally {
      await nowhere.close();
    }
  });
});
