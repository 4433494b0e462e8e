import type { ReplicationPolicy } from "./replication-policy.ts";
import type { TopicFilter } from "./topic-filter.ts";

/**
 * True when `topic` on the source already came from `targetClusterAlias`, directly or through
 * other hops, so replicating it would loop (`MirrorSourceConnector.isCycle`). Always false for
 * policies that do not rename topics, unless they report a fixed source alias equal to the target.
 */
export function isCycle(policy: ReplicationPolicy, topic: string, targetClusterAlias: string): boolean {
  let current = topic;
  for (;;) {
    const source = policy.topicSource(current);
    if (source === undefined) return false;
    if (source === targetClusterAlias) return true;
    const upstream = policy.upstreamTopic(current);
    // Guard for IdentityReplicationPolicy and similar policies that do not prevent cycles.
    if (upstream === undefined || upstream === current) return false;
    current = upstream;
  }
}

export interface TopicReplicationContext {
  topicFilter: TopicFilter;
  policy: ReplicationPolicy;
  targetClusterAlias: string;
  /** Replicate heartbeat topics even when the filter excludes them (MM2 default: true). */
  replicateHeartbeats?: boolean;
}

/**
 * Whether a flow replicates a source topic (`MirrorSourceConnector.shouldReplicateTopic`):
 * selected by the filter (or a heartbeats topic), not internal, and not a cycle.
 */
export function shouldReplicateTopic(topic: string, context: TopicReplicationContext): boolean {
  const { topicFilter, policy, targetClusterAlias } = context;
  const selected =
    topicFilter.shouldReplicateTopic(topic) ||
    ((context.replicateHeartbeats ?? true) && policy.isHeartbeatsTopic(topic));
  return selected && !policy.isInternalTopic(topic) && !isCycle(policy, topic, targetClusterAlias);
}
