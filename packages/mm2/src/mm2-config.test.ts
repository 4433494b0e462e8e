import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type FlowConfig,
  isSensitiveKey,
  MAX_CLUSTERS,
  parseMm2Config,
  readMm2Config,
} from "./mm2-config.ts";
import { serializeProperties } from "./mm2-properties.ts";
import { returnsOrThrowsMm2Error } from "./test-support.ts";

const sample = `
# Two data centres, one way
clusters = primary, backup
primary.bootstrap.servers = p1:9092, p2:9092
backup.bootstrap.servers = b1:9092
backup.security.protocol = SASL_SSL
backup.sasl.mechanism = SCRAM-SHA-512
backup.sasl.jaas.config = org.apache.kafka.common.security.scram.ScramLoginModule required username="u" password="p";

primary->backup.enabled = true
primary->backup.topics = orders.*, payments
primary->backup.topics.exclude = orders-test
primary->backup.offset.lag.max = 50
primary->backup.consumer.auto.offset.reset = latest

groups.exclude = test-.*
replication.factor = 3
tasks.max = 4
sync.group.offsets.enabled = true
emit.checkpoints.interval.seconds = 30
offset-syncs.topic.location = target
primary.ssl.truststore.location = /etc/ts.jks
producer.linger.ms = 5
`;

function flow(config: ReturnType<typeof parseMm2Config>, source: string, target: string): FlowConfig {
  const found = config.flows.find((f) => f.source === source && f.target === target);
  if (found === undefined) throw new Error(`no flow ${source}->${target}`);
  return found;
}

describe("readMm2Config", () => {
  const config = parseMm2Config(sample);

  it("reads clusters and their connection settings, alias-specific over global", () => {
    expect(config.clusters).toEqual(["primary", "backup"]);
    const [primary, backup] = config.clusterConfigs;
    expect(primary).toMatchObject({
      alias: "primary",
      bootstrapServers: "p1:9092, p2:9092",
      securityProtocol: "PLAINTEXT",
    });
    expect(primary?.origins.securityProtocol).toBe("default");
    expect(backup).toMatchObject({ securityProtocol: "SASL_SSL", saslMechanism: "SCRAM-SHA-512" });
    expect(backup?.saslJaasConfig).toContain("ScramLoginModule");
    expect(backup?.origins.securityProtocol).toBe("cluster");
  });

  it("resolves flow settings: flow-specific over global over MM2's default", () => {
    const forward = flow(config, "primary", "backup");
    expect(forward.enabled).toBe(true);
    expect(forward.topics).toEqual(["orders.*", "payments"]);
    expect(forward.topicsExclude).toEqual(["orders-test"]);
    expect(forward.offsetLagMax).toBe(50);
    expect(forward.consumerAutoOffsetReset).toBe("latest");
    expect(forward.groupsExclude).toEqual(["test-.*"]);
    expect(forward.replicationFactor).toBe(3);
    expect(forward.tasksMax).toBe(4);
    expect(forward.syncGroupOffsetsEnabled).toBe(true);
    expect(forward.emitCheckpointsIntervalSeconds).toBe(30);
    expect(forward.offsetSyncsTopicLocation).toBe("target");
    expect(forward.origins).toMatchObject({
      offsetLagMax: "flow",
      replicationFactor: "global",
      groups: "default",
    });

    const reverse = flow(config, "backup", "primary");
    expect(reverse.enabled).toBe(false);
    expect(reverse.topics).toEqual([".*"]);
    expect(reverse.offsetLagMax).toBe(100);
    expect(reverse.consumerAutoOffsetReset).toBe("earliest");
    expect(reverse.replicationFactor).toBe(3);
  });

  it("shows MM2's defaults for an empty flow", () => {
    const defaults = flow(parseMm2Config("clusters=A,B"), "A", "B");
    expect(defaults).toMatchObject({
      enabled: false,
      topics: [".*"],
      topicsExclude: [".*[\\-\\.]internal", ".*\\.replica", "__.*"],
      groups: [".*"],
      groupsExclude: ["console-consumer-.*", "connect-.*", "__.*"],
      replicationPolicySeparator: ".",
      replicationPolicyClass: "org.apache.kafka.connect.mirror.DefaultReplicationPolicy",
      replicationFactor: 2,
      syncTopicConfigsEnabled: true,
      syncTopicConfigsIntervalSeconds: 600,
      refreshTopicsIntervalSeconds: 600,
      refreshGroupsIntervalSeconds: 600,
      emitCheckpointsIntervalSeconds: 60,
      emitHeartbeatsIntervalSeconds: 1,
      syncGroupOffsetsEnabled: false,
      syncGroupOffsetsIntervalSeconds: 60,
      offsetLagMax: 100,
      offsetSyncsTopicLocation: "source",
      emitOffsetSyncsEnabled: true,
      tasksMax: 1,
    });
    expect(defaults.configPropertiesExclude).toContain("min\\.insync\\.replicas");
  });

  it("lists keys it does not interpret, in file order", () => {
    expect(config.unknownKeys).toEqual(["primary.ssl.truststore.location", "producer.linger.ms"]);
  });

  it("has no issues for a valid file", () => {
    expect(config.issues).toEqual([]);
  });

  it("reports invalid values and falls back to the default", () => {
    const bad = parseMm2Config(
      "clusters=A,B\nA->B.enabled=yes\ntasks.max=0\noffset.lag.max=lots\noffset-syncs.topic.location=elsewhere\nreplication.policy.separator=\nA.bootstrap.servers=a\nB.bootstrap.servers=b",
    );
    expect(bad.issues.map((issue) => [issue.code, issue.key])).toEqual([
      ["INVALID_VALUE", "A->B.enabled"],
      ["INVALID_VALUE", "replication.policy.separator"],
      ["INVALID_VALUE", "tasks.max"],
      ["INVALID_VALUE", "offset.lag.max"],
      ["INVALID_VALUE", "offset-syncs.topic.location"],
    ]);
    const ab = flow(bad, "A", "B");
    expect(ab).toMatchObject({
      enabled: false,
      tasksMax: 1,
      offsetLagMax: 100,
      offsetSyncsTopicLocation: "source",
    });
    expect(ab.origins.tasksMax).toBe("default");
  });

  it("parses booleans and numbers as Kafka's ConfigDef does", () => {
    const parsed = flow(
      parseMm2Config("clusters=A,B\nA->B.enabled= TRUE \nA->B.offset.lag.max=+07\nA->B.tasks.max=2147483648"),
      "A",
      "B",
    );
    expect(parsed.enabled).toBe(true);
    expect(parsed.offsetLagMax).toBe(7);
    expect(parsed.tasksMax).toBe(1);
  });

  it("reports a missing cluster list, unusable aliases and flows between unknown clusters", () => {
    expect(parseMm2Config("A->B.enabled=true").issues.map((i) => i.code)).toEqual([
      "MISSING_CLUSTERS",
      "UNKNOWN_FLOW",
    ]);
    const knownFlow = parseMm2Config("clusters=A,B\nA->B.producer.linger.ms=5\nA->C.enabled=true");
    expect(knownFlow.unknownKeys).toEqual(["A->B.producer.linger.ms", "A->C.enabled"]);
    expect(knownFlow.issues.map((i) => [i.code, i.key])).toEqual([["UNKNOWN_FLOW", "A->C.enabled"]]);
    const aliases = parseMm2Config("clusters=A,,A,B->C");
    expect(aliases.clusters).toEqual(["A"]);
    expect(aliases.issues.map((i) => i.code)).toEqual(["INVALID_CLUSTER_ALIAS", "INVALID_CLUSTER_ALIAS"]);
  });

  it("reports invalid filter patterns with the key to fix", () => {
    const bad = parseMm2Config("clusters=A,B\nA->B.topics=orders(\ngroups.exclude=(?=x)");
    expect(bad.issues.map((i) => [i.code, i.key])).toEqual([
      ["INVALID_PATTERN", "A->B.topics"],
      ["INVALID_PATTERN", "groups.exclude"],
    ]);
  });

  it("reports an enabled flow whose clusters have no bootstrap servers", () => {
    const missing = parseMm2Config("clusters=A,B\nA.bootstrap.servers=a:9092\nA->B.enabled=true");
    expect(missing.issues).toEqual([
      expect.objectContaining({ code: "MISSING_BOOTSTRAP_SERVERS", key: "B.bootstrap.servers" }),
    ]);
    expect(parseMm2Config("clusters=A,B\nbootstrap.servers=x:9092\nA->B.enabled=true").issues).toEqual([]);
  });

  it("understands aliases containing dots", () => {
    const dotted = parseMm2Config(
      "clusters=us.east, eu\nus.east.bootstrap.servers=a\nus.east->eu.enabled=true\neu.bootstrap.servers=b",
    );
    expect(dotted.unknownKeys).toEqual([]);
    expect(flow(dotted, "us.east", "eu").enabled).toBe(true);
    expect(dotted.clusterConfigs[0]?.bootstrapServers).toBe("a");
  });

  it("reports keys set more than once", () => {
    const repeated = parseMm2Config("clusters=A,B\ntopics=a\ntopics=b\ntopics=c");
    expect(repeated.issues).toEqual([expect.objectContaining({ code: "DUPLICATE_KEY", key: "topics" })]);
    expect(flow(repeated, "A", "B").topics).toEqual(["c"]);
  });

  it("caps the number of clusters", () => {
    const aliases = Array.from({ length: MAX_CLUSTERS + 5 }, (_, i) => `c${i}`).join(",");
    const capped = parseMm2Config(`clusters=${aliases}`);
    expect(capped.clusters).toHaveLength(MAX_CLUSTERS);
    expect(capped.flows).toHaveLength(MAX_CLUSTERS * (MAX_CLUSTERS - 1));
    expect(capped.issues.map((i) => i.code)).toEqual(["TOO_MANY_CLUSTERS"]);
  });

  it("reads the same view back from its own serialisation", () => {
    const { properties } = {
      properties: new Map(Object.entries({ clusters: "A, B", "A->B.topics": "x, y", "tasks.max": "3" })),
    };
    expect(readMm2Config(properties)).toEqual(parseMm2Config(serializeProperties(properties)));
  });

  it("reads any properties without throwing", () => {
    const keys = fc.constantFrom(
      "clusters",
      "A->B.enabled",
      "A.bootstrap.servers",
      "topics",
      "tasks.max",
      "offset.lag.max",
      "x",
      "A->C.topics",
      "B->A.groups",
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(keys, fc.string({ maxLength: 12 })), { maxLength: 12 }), (pairs) => {
        returnsOrThrowsMm2Error(() => readMm2Config(new Map(pairs)));
      }),
    );
  });
});

describe("isSensitiveKey", () => {
  it("flags JAAS configs, passwords and private keys", () => {
    for (const key of [
      "sasl.jaas.config",
      "A.sasl.jaas.config",
      "A.ssl.truststore.password",
      "A.ssl.keystore.key",
    ]) {
      expect(isSensitiveKey(key)).toBe(true);
    }
    for (const key of ["A.bootstrap.servers", "A.sasl.mechanism", "topics"]) {
      expect(isSensitiveKey(key)).toBe(false);
    }
  });
});
