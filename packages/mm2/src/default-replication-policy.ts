import { Mm2ArgumentError } from "./mm2-error.ts";
import { HEARTBEATS_TOPIC, type ReplicationPolicy } from "./replication-policy.ts";

export interface DefaultReplicationPolicyOptions {
  /** `replication.policy.separator`; default ".". Must not be empty. */
  separator?: string;
  /**
   * `replication.policy.internal.topic.separator.enabled`; default true. When false, the
   * checkpoints and offset-syncs topic names use "." whatever the separator.
   */
  internalTopicSeparatorEnabled?: boolean;
}

/** Prefixes remote topics with the source alias: "us-west.topic1" (MM2's `DefaultReplicationPolicy`). */
export class DefaultReplicationPolicy implements ReplicationPolicy {
  readonly separator: string;
  readonly internalTopicSeparatorEnabled: boolean;

  constructor(options: DefaultReplicationPolicyOptions = {}) {
    const separator = options.separator ?? ".";
    if (separator.length === 0) {
      // Java would split on the empty pattern (every character); nothing sensible can be named that way.
      throw new Mm2ArgumentError("INVALID_ARGUMENT", "replication.policy.separator must not be empty");
    }
    this.separator = separator;
    this.internalTopicSeparatorEnabled = options.internalTopicSeparatorEnabled ?? true;
  }

  formatRemoteTopic(sourceClusterAlias: string, topic: string): string {
    return sourceClusterAlias + this.separator + topic;
  }

  topicSource(topic: string): string | undefined {
    // Java: separatorPattern.split(topic) drops trailing empty parts; fewer than 2 parts → not remote.
    // So "a." and "." are not remote, while ".a" is remote with source "".
    const first = topic.indexOf(this.separator);
    if (first < 0) return undefined;
    const parts = topic.split(this.separator);
    let length = parts.length;
    while (length > 0 && parts[length - 1] === "") length--;
    return length < 2 ? undefined : topic.slice(0, first);
  }

  upstreamTopic(topic: string): string | undefined {
    const source = this.topicSource(topic);
    return source === undefined ? undefined : topic.slice(source.length + this.separator.length);
  }

  originalTopic(topic: string): string {
    let current = topic;
    for (;;) {
      const upstream = this.upstreamTopic(current);
      if (upstream === undefined || upstream === current) return current;
      current = upstream;
    }
  }

  heartbeatsTopic(): string {
    return HEARTBEATS_TOPIC;
  }

  offsetSyncsTopic(clusterAlias: string): string {
    return `mm2-offset-syncs${this.internalSeparator()}${clusterAlias}${this.internalSuffix()}`;
  }

  checkpointsTopic(clusterAlias: string): string {
    return clusterAlias + this.checkpointsTopicSuffix();
  }

  isHeartbeatsTopic(topic: string): boolean {
    return this.heartbeatsTopic() === this.originalTopic(topic);
  }

  isCheckpointsTopic(topic: string): boolean {
    return topic.endsWith(this.checkpointsTopicSuffix());
  }

  isMM2InternalTopic(topic: string): boolean {
    return topic.endsWith(this.internalSuffix());
  }

  isInternalTopic(topic: string): boolean {
    const kafkaInternal = topic.startsWith("__") || topic.startsWith(".");
    const connectInternal = topic.endsWith("-internal") || topic.endsWith(".internal");
    return this.isMM2InternalTopic(topic) || kafkaInternal || connectInternal;
  }

  private internalSeparator(): string {
    return this.internalTopicSeparatorEnabled ? this.separator : ".";
  }

  private internalSuffix(): string {
    return `${this.internalSeparator()}internal`;
  }

  private checkpointsTopicSuffix(): string {
    return `${this.internalSeparator()}checkpoints${this.internalSuffix()}`;
  }
}
