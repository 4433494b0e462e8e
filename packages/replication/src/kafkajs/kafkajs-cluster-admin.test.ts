import { createRequire } from "node:module";
import type { ConfigEntries } from "kafkajs";
import { describe, expect, it } from "vitest";
import { AdminError, toAdminError } from "./admin-error.ts";
import { toTopicConfigEntry } from "./kafkajs-cluster-admin.ts";

// kafkajs's error classes are not importable by name from ESM; take the real ones via require.
// (KafkaJSCreateTopicError exists at runtime but is missing from kafkajs's type declarations.)
const kafkajs = createRequire(import.meta.url)("kafkajs") as typeof import("kafkajs") & {
  KafkaJSCreateTopicError: new (error: Error, topic: string) => Error;
};

/** A protocol error exactly as kafkajs builds one from a broker error code. */
function protocolError(type: string, code: number, message: string) {
  return new kafkajs.KafkaJSProtocolError({
    name: "KafkaJSProtocolError",
    type,
    code,
    message,
    retriable: false,
  } as never);
}

const context = {
  clusterAlias: "west",
  bootstrapServers: "127.0.0.1:29092",
  operation: "creating topic",
  topic: "east.orders",
};

describe("toAdminError", () => {
  it("finds the per-topic error inside createTopics's aggregate error", () => {
    const inner = new kafkajs.KafkaJSCreateTopicError(
      protocolError(
        "TOPIC_AUTHORIZATION_FAILED",
        29,
        "Not authorized to access topics: [Topic authorization failed]",
      ) as never,
      "east.orders",
    );
    const error = toAdminError(new kafkajs.KafkaJSAggregateError("Topic creation errors", [inner]), context);
    expect(error).toBeInstanceOf(AdminError);
    expect(error.code).toBe("TOPIC_AUTHORIZATION_FAILED");
    expect(error.clusterAlias).toBe("west");
    expect(error.topic).toBe("east.orders");
    expect(error.message).toContain("west");
    expect(error.message).toContain('"east.orders"');
  });

  it("maps config, partition and replication-factor errors to INVALID_CONFIG", () => {
    for (const [type, code] of [
      ["INVALID_CONFIG", 40],
      ["INVALID_PARTITIONS", 37],
      ["INVALID_REPLICATION_FACTOR", 38],
    ] as const) {
      const error = toAdminError(protocolError(type, code, "x"), context);
      expect(error.code).toBe("INVALID_CONFIG");
      expect(error.kafkaErrorType).toBe(type);
    }
  });

  it("maps POLICY_VIOLATION", () => {
    const error = toAdminError(protocolError("POLICY_VIOLATION", 44, "policy"), context);
    expect(error.code).toBe("POLICY_VIOLATION");
    expect(error.message).toMatch(/^west \(127\.0\.0\.1:29092\) refused creating topic "east\.orders"/);
  });

  it("sees a connection error behind NumberOfRetriesExceeded", () => {
    const cause = new kafkajs.KafkaJSConnectionError("Connection error: connect ECONNREFUSED 127.0.0.1:1", {
      broker: "127.0.0.1:1",
      code: "ECONNREFUSED",
    } as never);
    const wrapped = new kafkajs.KafkaJSNumberOfRetriesExceeded(cause, {
      retryCount: 5,
      retryTime: 100,
    } as never);
    const error = toAdminError(wrapped, { clusterAlias: "nowhere", operation: "listing topics" });
    expect(error.code).toBe("CLUSTER_UNREACHABLE");
    expect(error.message).toContain("nowhere");
    expect(error.message).toContain("ECONNREFUSED");
    expect(error.topic).toBeUndefined();
  });

  it("keeps anything else as UNKNOWN with Kafka's error name", () => {
    const error = toAdminError(
      protocolError("UNKNOWN_TOPIC_OR_PARTITION", 3, "This server does not host this topic-partition"),
      { clusterAlias: "east", operation: "reading offsets of topic", topic: "t" },
    );
    expect(error.code).toBe("UNKNOWN");
    expect(error.kafkaErrorType).toBe("UNKNOWN_TOPIC_OR_PARTITION");
    expect(error.message).toBe(
      'reading offsets of topic "t" on east failed: This server does not host this topic-partition (UNKNOWN_TOPIC_OR_PARTITION).',
    );
  });

  it("returns an AdminError unchanged", () => {
    const original = new AdminError("POLICY_VIOLATION", "m", { clusterAlias: "a" });
    expect(toAdminError(original, context)).toBe(original);
  });
});

describe("toTopicConfigEntry", () => {
  const base = {
    configName: "retention.ms",
    configValue: "86400000",
    readOnly: false,
    isSensitive: false,
    configSynonyms: [],
  };

  it("counts only DYNAMIC_TOPIC_CONFIG (source 1) as set on the topic", () => {
    const bySource = (configSource: number, isDefault: boolean) =>
      toTopicConfigEntry({ ...base, configSource, isDefault } as ConfigEntries).isDefault;
    expect(bySource(1, false)).toBe(false); // set on the topic
    expect(bySource(4, false)).toBe(true); // server.properties: kafkajs says isDefault false
    expect(bySource(2, false)).toBe(true); // dynamic per-broker config
    expect(bySource(3, false)).toBe(true); // dynamic cluster-wide default
    expect(bySource(5, true)).toBe(true);
  });

  it("maps names, values and flags", () => {
    expect(
      toTopicConfigEntry({
        ...base,
        configValue: null,
        isSensitive: true,
        readOnly: true,
        configSource: 1,
        isDefault: false,
      } as unknown as ConfigEntries),
    ).toEqual({ name: "retention.ms", value: null, isDefault: false, readOnly: true, sensitive: true });
  });
});
