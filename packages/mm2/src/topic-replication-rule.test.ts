import { describe, expect, it } from "vitest";
import { DefaultReplicationPolicy } from "./default-replication-policy.ts";
import { IdentityReplicationPolicy } from "./identity-replication-policy.ts";
import { DefaultTopicFilter, type TopicFilter } from "./topic-filter.ts";
import { isCycle, shouldReplicateTopic } from "./topic-replication-rule.ts";

const everything: TopicFilter = { shouldReplicateTopic: () => true };
const nothing: TopicFilter = { shouldReplicateTopic: () => false };

describe("isCycle and shouldReplicateTopic (MirrorSourceConnector)", () => {
  const policy = new DefaultReplicationPolicy();
  const context = { topicFilter: everything, policy, targetClusterAlias: "target" };

  it("never replicates a topic back to a cluster it came from", () => {
    for (const topic of [
      "target.topic1",
      "target.source.topic1",
      "source.target.topic1",
      "target.source.target.topic1",
      "source.target.source.topic1",
    ]) {
      expect(isCycle(policy, topic, "target")).toBe(true);
      expect(shouldReplicateTopic(topic, context)).toBe(false);
    }
    expect(shouldReplicateTopic("topic1", context)).toBe(true);
    expect(shouldReplicateTopic("source.topic1", context)).toBe(true);
  });

  it("cannot see cycles with the identity policy", () => {
    const identity = new IdentityReplicationPolicy();
    for (const topic of ["target.topic1", "source.target.topic1", "topic1"]) {
      expect(shouldReplicateTopic(topic, { ...context, policy: identity })).toBe(true);
    }
  });

  it("detects a cycle with the identity policy only when its alias is the target", () => {
    expect(isCycle(new IdentityReplicationPolicy({ sourceClusterAlias: "target" }), "topic1", "target")).toBe(
      true,
    );
    expect(isCycle(new IdentityReplicationPolicy({ sourceClusterAlias: "other" }), "topic1", "target")).toBe(
      false,
    );
  });

  it("replicates heartbeats even when the filter selects nothing, unless told not to", () => {
    expect(shouldReplicateTopic("heartbeats", { ...context, topicFilter: nothing })).toBe(true);
    expect(shouldReplicateTopic("us-west.heartbeats", { ...context, topicFilter: nothing })).toBe(true);
    expect(shouldReplicateTopic("target.heartbeats", { ...context, topicFilter: nothing })).toBe(false);
    expect(
      shouldReplicateTopic("heartbeats", { ...context, topicFilter: nothing, replicateHeartbeats: false }),
    ).toBe(false);
  });

  it("never replicates internal topics, whatever the filter", () => {
    for (const topic of [
      "__consumer_offsets",
      "mm2-offset-syncs.target.internal",
      "source.checkpoints.internal",
    ]) {
      expect(shouldReplicateTopic(topic, context)).toBe(false);
    }
  });

  it("applies the topic filter", () => {
    const topicFilter = new DefaultTopicFilter({ topics: "orders.*" });
    expect(shouldReplicateTopic("orders-eu", { ...context, topicFilter })).toBe(true);
    expect(shouldReplicateTopic("payments", { ...context, topicFilter })).toBe(false);
  });
});
