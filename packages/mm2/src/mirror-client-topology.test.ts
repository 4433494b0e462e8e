import { describe, expect, it } from "vitest";
import { DefaultReplicationPolicy } from "./default-replication-policy.ts";
import { IdentityReplicationPolicy } from "./identity-replication-policy.ts";
import {
  checkpointTopics,
  countHopsForTopic,
  heartbeatTopics,
  remoteTopics,
  replicationHops,
  upstreamClusters,
} from "./mirror-client-topology.ts";

const policy = new DefaultReplicationPolicy();

describe("MirrorClient topology", () => {
  it("counts hops along one topic's prefixes", () => {
    expect(countHopsForTopic(policy, "topic", "source")).toBe(-1);
    expect(countHopsForTopic(policy, "source", "source")).toBe(-1);
    expect(countHopsForTopic(policy, "sourcetopic", "source")).toBe(-1);
    expect(countHopsForTopic(policy, "source1.topic", "source1")).toBe(1);
    expect(countHopsForTopic(policy, "source1.topic", "source2")).toBe(-1);
    expect(countHopsForTopic(policy, "source1.source1.topic", "source1")).toBe(1);
    expect(countHopsForTopic(policy, "source2.source1.topic", "source1")).toBe(2);
    expect(countHopsForTopic(policy, "source3.source2.source1.topic", "source1")).toBe(3);
    expect(countHopsForTopic(policy, "source3.source2.source1.topic", "source4")).toBe(-1);
  });

  it("finds heartbeat and checkpoint topics", () => {
    const topics = [
      "topic1",
      "heartbeats",
      "source1.heartbeats",
      "source2.source1.heartbeats",
      "heartbeats!",
    ];
    expect(heartbeatTopics(policy, topics)).toEqual([
      "heartbeats",
      "source1.heartbeats",
      "source2.source1.heartbeats",
    ]);
    expect(
      checkpointTopics(policy, [
        "topic1",
        "checkpoints.internal",
        "source1.checkpoints.internal",
        "source2.source1.checkpoints.internal",
      ]),
    ).toEqual(["source1.checkpoints.internal", "source2.source1.checkpoints.internal"]);
  });

  it("computes the fewest hops from each upstream cluster, -1 when unreachable", () => {
    const topics = [
      "topic1",
      "topic2",
      "heartbeats",
      "source1.heartbeats",
      "source1.source2.heartbeats",
      "source3.heartbeats",
    ];
    expect(replicationHops(policy, topics, "source1")).toBe(1);
    expect(replicationHops(policy, topics, "source2")).toBe(2);
    expect(replicationHops(policy, topics, "source3")).toBe(1);
    expect(replicationHops(policy, topics, "source4")).toBe(-1);
  });

  it("lists every upstream cluster named in heartbeat topics", () => {
    const topics = [
      "topic1",
      "heartbeats",
      "source1.heartbeats",
      "source1.source2.heartbeats",
      "source3.source4.source5.heartbeats",
    ];
    expect(upstreamClusters(policy, topics).sort()).toEqual([
      "source1",
      "source2",
      "source3",
      "source4",
      "source5",
    ]);
    expect(upstreamClusters(new IdentityReplicationPolicy(), topics).sort()).toEqual([
      "source1",
      "source2",
      "source3",
      "source4",
      "source5",
    ]);
  });

  it("lists remote topics, optionally from one source, never internal ones", () => {
    const topics = [
      "topic1",
      "source1.topic4",
      "source1.source2.topic5",
      "source3.source4.topic6",
      "source1.checkpoints.internal",
    ];
    expect(remoteTopics(policy, topics)).toEqual([
      "source1.topic4",
      "source1.source2.topic5",
      "source3.source4.topic6",
    ]);
    expect(remoteTopics(policy, topics, "source1")).toEqual(["source1.topic4", "source1.source2.topic5"]);
    const separated = ["topic1", "source1__topic4", "source1__source2__topic5"];
    expect(remoteTopics(new DefaultReplicationPolicy({ separator: "__" }), separated)).toEqual([
      "source1__topic4",
      "source1__source2__topic5",
    ]);
    expect(
      remoteTopics(new IdentityReplicationPolicy(), ["topic1", "heartbeats", "backup.heartbeats"]),
    ).toEqual(["backup.heartbeats"]);
  });

  it("terminates for an identity policy whose alias never matches", () => {
    const identity = new IdentityReplicationPolicy({ sourceClusterAlias: "primary" });
    expect(countHopsForTopic(identity, "topic1", "other")).toBe(-1);
  });
});
