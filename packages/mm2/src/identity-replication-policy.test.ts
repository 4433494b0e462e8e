import { describe, expect, it } from "vitest";
import { IdentityReplicationPolicy } from "./identity-replication-policy.ts";

describe("IdentityReplicationPolicy", () => {
  it("keeps topic names and reports the configured source alias", () => {
    const policy = new IdentityReplicationPolicy({ sourceClusterAlias: "primary" });
    expect(policy.formatRemoteTopic("primary", "topic1")).toBe("topic1");
    expect(policy.topicSource("topic1")).toBe("primary");
    expect(policy.upstreamTopic("topic1")).toBe("topic1");
    expect(policy.originalTopic("topic1")).toBe("topic1");
  });

  it("still prefixes heartbeats, so they can be traced", () => {
    const policy = new IdentityReplicationPolicy({ sourceClusterAlias: "primary" });
    expect(policy.formatRemoteTopic("primary", "heartbeats")).toBe("primary.heartbeats");
    expect(policy.topicSource("primary.heartbeats")).toBe("primary");
    expect(policy.upstreamTopic("primary.heartbeats")).toBe("heartbeats");
    expect(policy.originalTopic("b.a.heartbeats")).toBe("heartbeats");
    expect(policy.isHeartbeatsTopic("b.a.heartbeats")).toBe(true);
    expect(policy.topicSource("heartbeats")).toBeUndefined();
  });

  it("has no source for ordinary topics without a configured alias", () => {
    expect(new IdentityReplicationPolicy().topicSource("primary.topic1")).toBeUndefined();
  });
});
