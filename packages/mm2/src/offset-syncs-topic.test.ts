import { describe, expect, it } from "vitest";
import { DefaultReplicationPolicy } from "./default-replication-policy.ts";
import { offsetSyncsTopicPlacement } from "./offset-syncs-topic.ts";

describe("offsetSyncsTopicPlacement", () => {
  const policy = new DefaultReplicationPolicy();
  const flow = { sourceClusterAlias: "A", targetClusterAlias: "B" };

  it("puts the topic on the source, named after the target, by default", () => {
    expect(offsetSyncsTopicPlacement(policy, flow)).toEqual({
      cluster: "source",
      clusterAlias: "A",
      topic: "mm2-offset-syncs.B.internal",
    });
  });

  it("puts it on the target, named after the source, with location=target", () => {
    expect(offsetSyncsTopicPlacement(policy, flow, "target")).toEqual({
      cluster: "target",
      clusterAlias: "B",
      topic: "mm2-offset-syncs.A.internal",
    });
  });
});
