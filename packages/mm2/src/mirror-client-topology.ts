import type { ReplicationPolicy } from "./replication-policy.ts";

/*
 * What MM2's `MirrorClient` derives from a cluster's topic names, as pure functions over a
 * topic list (the caller lists the topics). Loops stop when a policy stops making progress,
 * so a custom policy whose upstreamTopic returns its input cannot hang them.
 */

/** Heartbeat topics on this cluster, replicated from other clusters (`MirrorClient.heartbeatTopics`). */
export function heartbeatTopics(policy: ReplicationPolicy, topics: Iterable<string>): string[] {
  return distinct(topics).filter((topic) => policy.isHeartbeatsTopic(topic));
}

/** Checkpoint topics on this cluster (`MirrorClient.checkpointTopics`). */
export function checkpointTopics(policy: ReplicationPolicy, topics: Iterable<string>): string[] {
  return distinct(topics).filter((topic) => policy.isCheckpointsTopic(topic));
}

/**
 * Remote (replicated) topics, excluding internal ones; only those replicated directly from
 * `sourceClusterAlias` when it is given (`MirrorClient.remoteTopics`).
 */
export function remoteTopics(
  policy: ReplicationPolicy,
  topics: Iterable<string>,
  sourceClusterAlias?: string,
): string[] {
  return distinct(topics).filter((topic) => {
    if (policy.isInternalTopic(topic)) return false;
    const source = policy.topicSource(topic);
    if (source === undefined) return false;
    return sourceClusterAlias === undefined || source === sourceClusterAlias;
  });
}

/**
 * Clusters upstream of this one, possibly several hops away, as seen from its heartbeat
 * topics (`MirrorClient.upstreamClusters`). Order: first seen.
 */
export function upstreamClusters(policy: ReplicationPolicy, topics: Iterable<string>): string[] {
  const sources = new Set<string>();
  for (const topic of heartbeatTopics(policy, topics)) {
    for (const source of allSources(policy, topic)) sources.add(source);
  }
  return [...sources];
}

/**
 * Fewest hops from `upstreamClusterAlias` to this cluster (A->B->C: 2 from A to C), or -1 when
 * no heartbeat topic leads back to it (`MirrorClient.replicationHops`).
 */
export function replicationHops(
  policy: ReplicationPolicy,
  topics: Iterable<string>,
  upstreamClusterAlias: string,
): number {
  let best = -1;
  for (const topic of heartbeatTopics(policy, topics)) {
    const hops = countHopsForTopic(policy, topic, upstreamClusterAlias);
    if (hops !== -1 && (best === -1 || hops < best)) best = hops;
  }
  return best;
}

/** Hops from `sourceClusterAlias` along one topic's chain of prefixes (`MirrorClient.countHopsForTopic`). */
export function countHopsForTopic(
  policy: ReplicationPolicy,
  topic: string,
  sourceClusterAlias: string,
): number {
  let hops = 0;
  let current: string | undefined = topic;
  while (current !== undefined) {
    hops++;
    const source = policy.topicSource(current);
    if (source === undefined) return -1;
    if (source === sourceClusterAlias) return hops;
    const upstream = policy.upstreamTopic(current);
    if (upstream === current) return -1;
    current = upstream;
  }
  return -1;
}

function allSources(policy: ReplicationPolicy, topic: string): string[] {
  const sources: string[] = [];
  let current: string | undefined = topic;
  let source = policy.topicSource(current);
  while (source !== undefined && current !== undefined) {
    sources.push(source);
    const upstream: string | undefined = policy.upstreamTopic(current);
    if (upstream === current) break;
    current = upstream;
    source = current === undefined ? undefined : policy.topicSource(current);
  }
  return sources;
}

function distinct(topics: Iterable<string>): string[] {
  return [...new Set(topics)];
}
