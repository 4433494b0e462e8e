/**
 * Which topics are "remote topics" and how MM2's own topics are named (MM2's
 * `ReplicationPolicy`). Methods return `undefined` where Java returns `null`.
 */
export interface ReplicationPolicy {
  /** Name of `topic` from cluster `sourceClusterAlias` on the target, e.g. "us-west.topic1". */
  formatRemoteTopic(sourceClusterAlias: string, topic: string): string;
  /** Source alias of a remote topic ("us-west" for "us-west.topic1"); `undefined` if not remote. */
  topicSource(topic: string): string | undefined;
  /** The topic one hop upstream ("topic1" for "us-west.topic1"); `undefined` if not remote. */
  upstreamTopic(topic: string): string | undefined;
  /** The topic at the start of the chain of hops; `topic` itself if it is not remote. */
  originalTopic(topic: string): string;
  /** Name of the heartbeats topic ("heartbeats"). */
  heartbeatsTopic(): string;
  /** Offset-syncs topic named after `clusterAlias`, e.g. "mm2-offset-syncs.B.internal". */
  offsetSyncsTopic(clusterAlias: string): string;
  /** Checkpoints topic for source `clusterAlias`, e.g. "A.checkpoints.internal". */
  checkpointsTopic(clusterAlias: string): string;
  /** True for "heartbeats", "A.heartbeats", "B.A.heartbeats", ... */
  isHeartbeatsTopic(topic: string): boolean;
  isCheckpointsTopic(topic: string): boolean;
  /** MM2's own topics (offset syncs, checkpoints, its Connect topics). */
  isMM2InternalTopic(topic: string): boolean;
  /** Topics never replicated: Kafka's (`__x`, `.x`), Connect's (`-internal`) and MM2's. */
  isInternalTopic(topic: string): boolean;
}

/** `ReplicationPolicy.heartbeatsTopic()` default. */
export const HEARTBEATS_TOPIC = "heartbeats";

/** Fully-qualified Java class names accepted in `replication.policy.class`. */
export const DEFAULT_REPLICATION_POLICY_CLASS = "org.apache.kafka.connect.mirror.DefaultReplicationPolicy";
export const IDENTITY_REPLICATION_POLICY_CLASS = "org.apache.kafka.connect.mirror.IdentityReplicationPolicy";
