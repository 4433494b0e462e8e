import { DefaultConfigPropertyFilter } from "@mirrordeck/mm2";
import { describe, expect, it } from "vitest";
import { AdminError } from "../kafkajs/admin-error.ts";
import type {
  ClusterAdmin,
  NewTopicSpec,
  PartitionOffsets,
  TopicConfigEntry,
} from "../ports/cluster-admin.ts";
import { planConfigMerge, planTopicConfigs, syncTargetTopics } from "./target-topic-sync.ts";

const mm2Defaults = new DefaultConfigPropertyFilter();

/** A config entry as the kafkajs adapter reports it; `set` = DYNAMIC_TOPIC_CONFIG. */
function entry(
  name: string,
  value: string | null,
  set = true,
  extra: Partial<TopicConfigEntry> = {},
): TopicConfigEntry {
  return { name, value, isDefault: !set, readOnly: false, sensitive: false, ...extra };
}

describe("planTopicConfigs", () => {
  it("copies values set on the source topic except MM2's default exclude list", () => {
    const source = [
      entry("retention.ms", "3600000"),
      entry("cleanup.policy", "compact,delete"),
      entry("min.insync.replicas", "2"),
      entry("unclean.leader.election.enable", "true"),
      entry("message.timestamp.type", "LogAppendTime"),
      entry("message.timestamp.difference.max.ms", "1000"),
      entry("leader.replication.throttled.replicas", "*"),
      entry("follower.replication.throttled.replicas", "*"),
    ];
    expect(planTopicConfigs(source, mm2Defaults)).toEqual({
      "retention.ms": "3600000",
      "cleanup.policy": "compact,delete",
    });
  });

  it("skips defaults, broker values, read-only, sensitive and null values", () => {
    const source = [
      entry("segment.bytes", "67108864", false), // from server.properties: not set on the topic
      entry("retention.bytes", "-1", false),
      entry("some.read.only", "x", true, { readOnly: true }),
      entry("some.secret", "hunter2", true, { sensitive: true }),
      entry("another.secret", null, true),
      entry("max.message.bytes", "2000000"),
    ];
    expect(planTopicConfigs(source, mm2Defaults)).toEqual({ "max.message.bytes": "2000000" });
  });

  it("honours a custom config.properties.exclude", () => {
    const filter = new DefaultConfigPropertyFilter({ configPropertiesExclude: "retention\\..*" });
    const source = [
      entry("retention.ms", "1"),
      entry("retention.bytes", "2"),
      entry("min.insync.replicas", "2"),
    ];
    // A custom list replaces MM2's default list, so min.insync.replicas is copied now.
    expect(planTopicConfigs(source, filter)).toEqual({ "min.insync.replicas": "2" });
  });
});

describe("planConfigMerge", () => {
  it("overlays changed source values and keeps target-only keys", () => {
    const source = [entry("retention.ms", "7200000"), entry("cleanup.policy", "delete")];
    const target = [
      entry("retention.ms", "3600000"),
      entry("cleanup.policy", "delete"),
      entry("retention.bytes", "1048576"), // set by hand on the target
      entry("segment.ms", "604800000", false),
    ];
    expect(planConfigMerge(source, target, mm2Defaults)).toEqual({
      changed: true,
      configs: { "retention.ms": "7200000", "cleanup.policy": "delete", "retention.bytes": "1048576" },
      updatedKeys: ["retention.ms"],
    });
  });

  it("adds a key new on the source", () => {
    const plan = planConfigMerge(
      [entry("max.message.bytes", "2000000")],
      [entry("retention.bytes", "10")],
      mm2Defaults,
    );
    expect(plan.changed).toBe(true);
    expect(plan.updatedKeys).toEqual(["max.message.bytes"]);
    expect(plan.configs).toEqual({ "retention.bytes": "10", "max.message.bytes": "2000000" });
  });

  it("reports no change when the target already has every value", () => {
    const source = [entry("retention.ms", "3600000"), entry("min.insync.replicas", "2")];
    const target = [entry("retention.ms", "3600000"), entry("retention.bytes", "1048576")];
    expect(planConfigMerge(source, target, mm2Defaults)).toEqual({
      changed: false,
      configs: { "retention.ms": "3600000", "retention.bytes": "1048576" },
      updatedKeys: [],
    });
  });

  it("never copies excluded keys, and keeps the target's own value of one", () => {
    const source = [entry("min.insync.replicas", "2"), entry("retention.ms", "5")];
    const target = [entry("min.insync.replicas", "1"), entry("retention.ms", "5")];
    const plan = planConfigMerge(source, target, mm2Defaults);
    expect(plan.changed).toBe(false);
    expect(plan.configs).toEqual({ "min.insync.replicas": "1", "retention.ms": "5" });
  });

  it("does not take a broker-level value on the target for a topic override", () => {
    const source = [entry("retention.ms", "86400000")];
    const target = [entry("retention.ms", "86400000", false)]; // log.retention.hours=24 on the broker
    const plan = planConfigMerge(source, target, mm2Defaults);
    expect(plan).toEqual({
      changed: true,
      configs: { "retention.ms": "86400000" },
      updatedKeys: ["retention.ms"],
    });
  });
});

interface FakeTopic {
  partitions: number;
  configs: Record<string, string>;
}

/** In-memory ClusterAdmin that counts calls and can be told to fail. */
class FakeAdmin implements ClusterAdmin {
  readonly topics = new Map<string, FakeTopic>();
  readonly calls: string[] = [];
  failCreatePartitions = new Set<string>();
  failCreateTopic = new Set<string>();
  failReplaceConfigs = new Set<string>();
  failPartitionCounts = false;

  constructor(readonly alias: string) {}

  // Topic sync never touches consumer groups.
  listGroups(): Promise<string[]> {
    throw new Error("not used");
  }
  fetchGroupOffsets(): Promise<never> {
    throw new Error("not used");
  }
  describeGroupStates(): Promise<never> {
    throw new Error("not used");
  }
  commitGroupOffsets(): Promise<void> {
    throw new Error("not used");
  }

  add(name: string, partitions: number, configs: Record<string, string> = {}): this {
    this.topics.set(name, { partitions, configs: { ...configs } });
    return this;
  }

  async listTopics(): Promise<string[]> {
    this.calls.push("listTopics");
    return [...this.topics.keys()];
  }
  async partitionCounts(topics: string[]): Promise<Map<string, number>> {
    this.calls.push(`partitionCounts:${topics.join(",")}`);
    if (this.failPartitionCounts) {
      throw new AdminError("CLUSTER_UNREACHABLE", `Cannot reach ${this.alias}`, { clusterAlias: this.alias });
    }
    const counts = new Map<string, number>();
    for (const topic of topics) {
      const found = this.topics.get(topic);
      if (found) counts.set(topic, found.partitions);
    }
    return counts;
  }
  async partitionOffsets(): Promise<PartitionOffsets[]> {
    throw new Error("not used");
  }
  async createTopic(spec: NewTopicSpec): Promise<void> {
    this.calls.push(`createTopic:${spec.name}:${spec.partitions}:${spec.replicationFactor}`);
    if (this.failCreateTopic.has(spec.name)) {
      throw new AdminError("POLICY_VIOLATION", `${this.alias} refused creating topic "${spec.name}"`, {
        clusterAlias: this.alias,
        topic: spec.name,
      });
    }
    if (!this.topics.has(spec.name)) this.add(spec.name, spec.partitions, spec.configs);
  }
  async createPartitions(topic: string, total: number): Promise<void> {
    this.calls.push(`createPartitions:${topic}:${total}`);
    if (this.failCreatePartitions.has(topic)) {
      throw new AdminError("TOPIC_AUTHORIZATION_FAILED", `not authorized on ${topic}`, {
        clusterAlias: this.alias,
      });
    }
    const found = this.topics.get(topic)!;
    found.partitions = Math.max(found.partitions, total);
  }
  async describeTopicConfigs(topics: string[]): Promise<Map<string, TopicConfigEntry[]>> {
    this.calls.push(`describeTopicConfigs:${topics.join(",")}`);
    const result = new Map<string, TopicConfigEntry[]>();
    for (const topic of topics) {
      const found = this.topics.get(topic);
      if (found)
        result.set(
          topic,
          Object.entries(found.configs).map(([name, value]) => entry(name, value)),
        );
    }
    return result;
  }
  async replaceTopicConfigs(topic: string, configs: Record<string, string>): Promise<void> {
    this.calls.push(`replaceTopicConfigs:${topic}`);
    if (this.failReplaceConfigs.has(topic)) {
      throw new AdminError("INVALID_CONFIG", `bad config on ${topic}`, { clusterAlias: this.alias, topic });
    }
    this.topics.get(topic)!.configs = { ...configs };
  }
  async deleteRecordsBefore(): Promise<void> {
    throw new Error("not used by topic sync");
  }

  async deleteTopic(topic: string): Promise<void> {
    this.topics.delete(topic);
  }
  async close(): Promise<void> {}
}

function options(source: FakeAdmin, target: FakeAdmin, topics: string[], syncConfigs = true) {
  return {
    source,
    target,
    sourceAlias: "east",
    topics,
    remoteName: (topic: string) => `east.${topic}`,
    replicationFactor: 3,
    configFilter: mm2Defaults,
    syncConfigs,
  };
}

describe("syncTargetTopics", () => {
  it("creates missing remote topics with the source's partitions, the RF and filtered configs", async () => {
    const source = new FakeAdmin("east").add("orders", 3, {
      "retention.ms": "3600000",
      "min.insync.replicas": "2",
    });
    const target = new FakeAdmin("west");
    const [outcome] = await syncTargetTopics(options(source, target, ["orders"]));
    expect(outcome).toEqual({
      topic: "orders",
      remoteTopic: "east.orders",
      created: true,
      configsUpdated: ["retention.ms"],
      targetPartitions: 3,
    });
    expect(target.calls).toContain("createTopic:east.orders:3:3");
    expect(target.topics.get("east.orders")).toEqual({
      partitions: 3,
      configs: { "retention.ms": "3600000" },
    });
  });

  it("grows, never shrinks, and merges configs without dropping target edits", async () => {
    const source = new FakeAdmin("east")
      .add("a", 5, { "retention.ms": "7200000" })
      .add("b", 2, { "retention.ms": "1000" })
      .add("c", 4, { "retention.ms": "1000" });
    const target = new FakeAdmin("west")
      .add("east.a", 3, { "retention.ms": "3600000", "retention.bytes": "1048576" })
      .add("east.b", 6, { "retention.ms": "1000" })
      .add("east.c", 4, { "retention.ms": "1000" });
    const outcomes = await syncTargetTopics(options(source, target, ["a", "b", "c"]));
    expect(outcomes).toEqual([
      {
        topic: "a",
        remoteTopic: "east.a",
        created: false,
        partitionsAddedTo: 5,
        configsUpdated: ["retention.ms"],
        targetPartitions: 5,
      },
      { topic: "b", remoteTopic: "east.b", created: false, configsUpdated: [], targetPartitions: 6 },
      { topic: "c", remoteTopic: "east.c", created: false, configsUpdated: [], targetPartitions: 4 },
    ]);
    expect(target.topics.get("east.a")).toEqual({
      partitions: 5,
      configs: { "retention.ms": "7200000", "retention.bytes": "1048576" },
    });
    expect(target.topics.get("east.b")?.partitions).toBe(6);
    // Only the changed topic is written; nothing shrinks.
    expect(target.calls.filter((call) => call.startsWith("replaceTopicConfigs"))).toEqual([
      "replaceTopicConfigs:east.a",
    ]);
    expect(target.calls.filter((call) => call.startsWith("createPartitions"))).toEqual([
      "createPartitions:east.a:5",
    ]);
  });

  it("batches reads: one partitionCounts and one describeTopicConfigs per cluster", async () => {
    const source = new FakeAdmin("east").add("a", 1, { "retention.ms": "1" }).add("b", 1).add("c", 1);
    const target = new FakeAdmin("west").add("east.a", 1).add("east.b", 1);
    await syncTargetTopics(options(source, target, ["a", "b", "c", "a"]));
    expect(source.calls).toEqual(["partitionCounts:a,b,c", "describeTopicConfigs:a,b,c"]);
    expect(
      target.calls.filter((call) => !call.startsWith("createTopic") && !call.startsWith("replace")),
    ).toEqual(["partitionCounts:east.a,east.b,east.c", "describeTopicConfigs:east.a,east.b"]);
  });

  it("without syncConfigs writes no config and reports what differs as drift", async () => {
    const source = new FakeAdmin("east")
      .add("a", 1, { "retention.ms": "1" })
      .add("b", 1, { "retention.ms": "2" })
      .add("c", 1, { "retention.ms": "3" });
    const target = new FakeAdmin("west")
      .add("east.a", 1, { "retention.ms": "9" })
      .add("east.c", 1, { "retention.ms": "3" });
    const outcomes = await syncTargetTopics(options(source, target, ["a", "b", "c"], false));
    expect(outcomes.map((o) => [o.topic, o.created, o.configsUpdated, o.configDrift])).toEqual([
      ["a", false, [], ["retention.ms"]],
      ["b", true, ["retention.ms"], undefined],
      ["c", false, [], undefined],
    ]);
    expect(target.calls.some((call) => call.startsWith("replaceTopicConfigs"))).toBe(false);
    expect(target.topics.get("east.a")?.configs).toEqual({ "retention.ms": "9" });
  });

  it("records one topic's failure and carries on with the others", async () => {
    const source = new FakeAdmin("east")
      .add("small", 4)
      .add("fine", 2, { "retention.ms": "5" })
      .add("refused", 1)
      .add("badcfg", 1, { "retention.ms": "7" });
    const target = new FakeAdmin("west").add("east.small", 2).add("east.badcfg", 1, { "retention.ms": "6" });
    target.failCreatePartitions.add("east.small");
    target.failCreateTopic.add("east.refused");
    target.failReplaceConfigs.add("east.badcfg");
    const outcomes = await syncTargetTopics(
      options(source, target, ["small", "gone", "fine", "refused", "badcfg"]),
    );
    const byTopic = new Map(outcomes.map((o) => [o.topic, o]));

    expect(byTopic.get("small")?.error?.code).toBe("TARGET_TOPIC_TOO_SMALL");
    expect(byTopic.get("small")?.error?.message).toMatch(/target topic too small/i);
    expect(byTopic.get("small")?.error?.message).toContain("east.small");
    expect(byTopic.get("small")?.targetPartitions).toBe(2);

    expect(byTopic.get("gone")?.error?.code).toBe("SOURCE_TOPIC_MISSING");
    expect(byTopic.get("refused")?.error).toEqual({
      code: "POLICY_VIOLATION",
      message: 'west refused creating topic "east.refused"',
    });
    // A failed config write leaves the topic usable: a configError, not an error.
    expect(byTopic.get("badcfg")?.error).toBeUndefined();
    expect(byTopic.get("badcfg")?.configError?.code).toBe("INVALID_CONFIG");

    expect(byTopic.get("fine")).toEqual({
      topic: "fine",
      remoteTopic: "east.fine",
      created: true,
      configsUpdated: ["retention.ms"],
      targetPartitions: 2,
    });
    expect(outcomes.map((o) => o.topic)).toEqual(["small", "gone", "fine", "refused", "badcfg"]);
  });

  it("reports an unreachable cluster on every topic instead of throwing", async () => {
    const source = new FakeAdmin("east").add("a", 1).add("b", 1);
    const target = new FakeAdmin("west");
    target.failPartitionCounts = true;
    const outcomes = await syncTargetTopics(options(source, target, ["a", "b"]));
    expect(outcomes.map((o) => o.error?.code)).toEqual(["CLUSTER_UNREACHABLE", "CLUSTER_UNREACHABLE"]);
    expect(target.calls.some((call) => call.startsWith("createTopic"))).toBe(false);
  });

  it("a second run with nothing changed writes nothing", async () => {
    const source = new FakeAdmin("east").add("a", 3, { "retention.ms": "1", "min.insync.replicas": "2" });
    const target = new FakeAdmin("west");
    await syncTargetTopics(options(source, target, ["a"]));
    target.calls.length = 0;
    const [again] = await syncTargetTopics(options(source, target, ["a"]));
    expect(again).toEqual({
      topic: "a",
      remoteTopic: "east.a",
      created: false,
      configsUpdated: [],
      targetPartitions: 3,
    });
    expect(target.calls).toEqual(["partitionCounts:east.a", "describeTopicConfigs:east.a"]);
  });
});
