import {
  DefaultReplicationPolicy,
  type DefaultReplicationPolicyOptions,
} from "./default-replication-policy.ts";

export interface IdentityReplicationPolicyOptions extends DefaultReplicationPolicyOptions {
  /** `source.cluster.alias`: what `topicSource` answers for non-heartbeat topics. */
  sourceClusterAlias?: string;
}

/**
 * Keeps topic names unchanged on the target (MM2's `IdentityReplicationPolicy`); heartbeats
 * are still prefixed so that they can be told apart. MM2 cannot detect cycles with it.
 */
export class IdentityReplicationPolicy extends DefaultReplicationPolicy {
  readonly sourceClusterAlias: string | undefined;

  constructor(options: IdentityReplicationPolicyOptions = {}) {
    super(options);
    this.sourceClusterAlias = options.sourceClusterAlias;
  }

  override formatRemoteTopic(sourceClusterAlias: string, topic: string): string {
    return this.looksLikeHeartbeat(topic) ? super.formatRemoteTopic(sourceClusterAlias, topic) : topic;
  }

  override topicSource(topic: string): string | undefined {
    return this.looksLikeHeartbeat(topic) ? super.topicSource(topic) : this.sourceClusterAlias;
  }

  override upstreamTopic(topic: string): string | undefined {
    return this.looksLikeHeartbeat(topic) ? super.upstreamTopic(topic) : topic;
  }

  private looksLikeHeartbeat(topic: string): boolean {
    return topic.endsWith(this.heartbeatsTopic());
  }
}
