import type { ReplicationPolicy } from "./replication-policy.ts";

/** `offset-syncs.topic.location`. */
export type OffsetSyncsTopicLocation = "source" | "target";

/** Where a flow's offset syncs live. */
export interface OffsetSyncsTopicPlacement {
  /** Which cluster of the flow holds the topic. */
  cluster: OffsetSyncsTopicLocation;
  /** Alias of that cluster. */
  clusterAlias: string;
  topic: string;
}

/**
 * The offset-syncs topic of flow source->target (`MirrorSourceConfig.offsetSyncsTopic`): on the
 * source it is named after the target ("mm2-offset-syncs.B.internal"); on the target, after the source.
 */
export function offsetSyncsTopicPlacement(
  policy: ReplicationPolicy,
  flow: { sourceClusterAlias: string; targetClusterAlias: string },
  location: OffsetSyncsTopicLocation = "source",
): OffsetSyncsTopicPlacement {
  return location === "source"
    ? {
        cluster: "source",
        clusterAlias: flow.sourceClusterAlias,
        topic: policy.offsetSyncsTopic(flow.targetClusterAlias),
      }
    : {
        cluster: "target",
        clusterAlias: flow.targetClusterAlias,
        topic: policy.offsetSyncsTopic(flow.sourceClusterAlias),
      };
}
