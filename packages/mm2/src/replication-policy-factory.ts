import { DefaultReplicationPolicy } from "./default-replication-policy.ts";
import { IdentityReplicationPolicy } from "./identity-replication-policy.ts";
import { Mm2ArgumentError } from "./mm2-error.ts";
import {
  DEFAULT_REPLICATION_POLICY_CLASS,
  IDENTITY_REPLICATION_POLICY_CLASS,
  type ReplicationPolicy,
} from "./replication-policy.ts";

export interface ReplicationPolicySettings {
  /** `replication.policy.class`; default DefaultReplicationPolicy. */
  className?: string;
  /** `replication.policy.separator`. */
  separator?: string;
  /** `replication.policy.internal.topic.separator.enabled`. */
  internalTopicSeparatorEnabled?: boolean;
  /** `source.cluster.alias`, used by IdentityReplicationPolicy. */
  sourceClusterAlias?: string;
}

/**
 * Builds the policy named by `replication.policy.class` (fully-qualified, as MM2 requires).
 * Custom Java classes cannot run here and are rejected with UNSUPPORTED_REPLICATION_POLICY.
 */
export function createReplicationPolicy(settings: ReplicationPolicySettings = {}): ReplicationPolicy {
  const className = (settings.className ?? DEFAULT_REPLICATION_POLICY_CLASS).trim();
  const options = {
    ...(settings.separator !== undefined && { separator: settings.separator }),
    ...(settings.internalTopicSeparatorEnabled !== undefined && {
      internalTopicSeparatorEnabled: settings.internalTopicSeparatorEnabled,
    }),
  };
  if (className === DEFAULT_REPLICATION_POLICY_CLASS) return new DefaultReplicationPolicy(options);
  if (className === IDENTITY_REPLICATION_POLICY_CLASS) {
    return new IdentityReplicationPolicy({
      ...options,
      ...(settings.sourceClusterAlias !== undefined && { sourceClusterAlias: settings.sourceClusterAlias }),
    });
  }
  throw new Mm2ArgumentError(
    "UNSUPPORTED_REPLICATION_POLICY",
    `replication.policy.class ${JSON.stringify(className)} is not supported; use ${DEFAULT_REPLICATION_POLICY_CLASS} or ${IDENTITY_REPLICATION_POLICY_CLASS}`,
    { className },
  );
}
