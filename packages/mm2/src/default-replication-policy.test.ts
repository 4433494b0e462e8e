import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DefaultReplicationPolicy } from "./default-replication-policy.ts";
import { catchMm2Error } from "./test-support.ts";

describe("DefaultReplicationPolicy", () => {
  const policy = new DefaultReplicationPolicy();

  it("prefixes remote topics with the source alias and the separator", () => {
    expect(policy.formatRemoteTopic("us-west", "topic1")).toBe("us-west.topic1");
    expect(new DefaultReplicationPolicy({ separator: "__" }).formatRemoteTopic("a", "t")).toBe("a__t");
  });

  it("reads the source and upstream topic from the first separator", () => {
    expect(policy.topicSource("us-west.topic1")).toBe("us-west");
    expect(policy.upstreamTopic("us-west.topic1")).toBe("topic1");
    expect(policy.topicSource("b.a.topic1")).toBe("b");
    expect(policy.upstreamTopic("b.a.topic1")).toBe("a.topic1");
    expect(policy.topicSource("topic1")).toBeUndefined();
    expect(policy.upstreamTopic("topic1")).toBeUndefined();
  });

  it("follows Java's String.split, which drops trailing empty parts", () => {
    expect(policy.topicSource("a.")).toBeUndefined();
    expect(policy.topicSource(".")).toBeUndefined();
    expect(policy.topicSource("a..")).toBeUndefined();
    expect(policy.topicSource(".a")).toBe("");
    expect(policy.upstreamTopic(".a")).toBe("a");
    expect(policy.topicSource("a..b")).toBe("a");
    expect(policy.upstreamTopic("a..b")).toBe(".b");
    expect(policy.upstreamTopic("a.b.")).toBe("b.");
  });

  it("finds the original topic through any number of hops", () => {
    expect(policy.originalTopic("c.b.a.topic1")).toBe("topic1");
    expect(policy.originalTopic("topic1")).toBe("topic1");
  });

  it("names MM2's internal topics with the separator unless that is disabled", () => {
    expect(policy.heartbeatsTopic()).toBe("heartbeats");
    expect(policy.checkpointsTopic("A")).toBe("A.checkpoints.internal");
    expect(policy.offsetSyncsTopic("B")).toBe("mm2-offset-syncs.B.internal");
    const underscore = new DefaultReplicationPolicy({ separator: "_" });
    expect(underscore.checkpointsTopic("A")).toBe("A_checkpoints_internal");
    expect(underscore.offsetSyncsTopic("B")).toBe("mm2-offset-syncs_B_internal");
    expect(underscore.isCheckpointsTopic("A_checkpoints_internal")).toBe(true);
    const legacy = new DefaultReplicationPolicy({ separator: "_", internalTopicSeparatorEnabled: false });
    expect(legacy.checkpointsTopic("A")).toBe("A.checkpoints.internal");
    expect(legacy.offsetSyncsTopic("B")).toBe("mm2-offset-syncs.B.internal");
    expect(legacy.formatRemoteTopic("A", "t")).toBe("A_t");
  });

  it("recognises heartbeat topics replicated any number of hops", () => {
    for (const topic of ["heartbeats", "source1.heartbeats", "source2.source1.heartbeats"]) {
      expect(policy.isHeartbeatsTopic(topic)).toBe(true);
    }
    for (const topic of ["heartbeats!", "!heartbeats", "source1heartbeats", "source1-heartbeats"]) {
      expect(policy.isHeartbeatsTopic(topic)).toBe(false);
    }
  });

  it("recognises checkpoint topics by suffix", () => {
    expect(policy.isCheckpointsTopic("source1.checkpoints.internal")).toBe(true);
    for (const topic of [
      "checkpoints.internal",
      "checkpoints-internal",
      "checkpoints.internal!",
      "source1checkpointsinternal",
    ]) {
      expect(policy.isCheckpointsTopic(topic)).toBe(false);
    }
  });

  it("treats Kafka, Connect and MM2 topics as internal", () => {
    for (const topic of [
      "__consumer_offsets",
      ".hidden",
      "mm2-offset-syncs.B.internal",
      "A.checkpoints.internal",
      "mm2-configs.A.internal",
      "connect-offsets-internal",
    ]) {
      expect(policy.isInternalTopic(topic)).toBe(true);
    }
    for (const topic of ["orders", "A.orders", "heartbeats", "internal", "a_internal"]) {
      expect(policy.isInternalTopic(topic)).toBe(false);
    }
    expect(new DefaultReplicationPolicy({ separator: "_" }).isInternalTopic("a_internal")).toBe(true);
  });

  it("inverts formatRemoteTopic for any alias without the separator", () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }).filter((s) => !s.includes(".")),
        fc.string({ minLength: 1 }).filter((s) => !s.endsWith(".")),
        (alias, topic) => {
          const remote = policy.formatRemoteTopic(alias, topic);
          expect(policy.topicSource(remote)).toBe(alias);
          expect(policy.upstreamTopic(remote)).toBe(topic);
        },
      ),
    );
  });

  it("rejects an empty separator", () => {
    expect(catchMm2Error(() => new DefaultReplicationPolicy({ separator: "" })).code).toBe(
      "INVALID_ARGUMENT",
    );
  });
});
