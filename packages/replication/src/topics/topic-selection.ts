import {
  createReplicationPolicy,
  DEFAULT_REPLICATION_POLICY_CLASS,
  DefaultTopicFilter,
  IDENTITY_REPLICATION_POLICY_CLASS,
  type ReplicationPolicy,
  shouldReplicateTopic,
} from "@mirrordeck/mm2";
import type { FlowSpec } from "../flow-spec.ts";

export function flowReplicationPolicy(spec: Pick<FlowSpec, "policy" | "source">): ReplicationPolicy {
  return createReplicationPolicy({
    className:
      spec.policy.kind === "IDENTITY" ? IDENTITY_REPLICATION_POLICY_CLASS : DEFAULT_REPLICATION_POLICY_CLASS,
    separator: spec.policy.separator,
    sourceClusterAlias: spec.source.alias,
  });
}

/** Whether the flow replicates `topic` (the test of selectTopics, one topic at a time). */
export function topicSelector(
  spec: Pick<FlowSpec, "topicsInclude" | "topicsExclude" | "target">,
  policy: ReplicationPolicy,
): (topic: string) => boolean {
  const topicFilter = new DefaultTopicFilter({
    topics: spec.topicsInclude,
    topicsExclude: spec.topicsExclude,
  });
  return (topic) =>
    shouldReplicateTopic(topic, { topicFilter, policy, targetClusterAlias: spec.target.alias });
}

/**
 * The source topics a flow replicates right now (MM2's `MirrorSourceConnector.findTopicPartitions`):
 * selected by the include/exclude lists, never internal, never a cycle back to the target.
 */
export function selectTopics(
  sourceTopics: readonly string[],
  spec: Pick<FlowSpec, "topicsInclude" | "topicsExclude" | "target">,
  policy: ReplicationPolicy,
): string[] {
  return sourceTopics.filter(topicSelector(spec, policy)).sort();
}
