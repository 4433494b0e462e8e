// @mirrordeck/mm2: MirrorMaker 2's formats and rules, framework-free.

export {
  CHECKPOINT_VERSION,
  type Checkpoint,
  decodeCheckpoint,
  decodeCheckpointKey,
  decodeCheckpointValue,
  encodeCheckpointKey,
  encodeCheckpointValue,
} from "./checkpoint.ts";
export { type CheckpointEmission, decideCheckpointEmission } from "./checkpoint-emission-rule.ts";
export { formatConfigList, javaTrim, parseConfigList } from "./config-list.ts";
export {
  type ConfigPropertyFilter,
  type ConfigPropertyFilterSettings,
  DefaultConfigPropertyFilter,
} from "./config-property-filter.ts";
export {
  DefaultReplicationPolicy,
  type DefaultReplicationPolicyOptions,
} from "./default-replication-policy.ts";
export * from "./defaults.ts";
export { ExponentialOffsetSyncHistory } from "./exponential-offset-sync-history.ts";
export { DefaultGroupFilter, type GroupFilter, type GroupFilterSettings } from "./group-filter.ts";
export {
  planGroupOffsetSync,
  type TargetGroup,
  type TargetGroupState,
} from "./group-offset-sync-rule.ts";
export {
  decodeHeartbeat,
  decodeHeartbeatKey,
  decodeHeartbeatValue,
  encodeHeartbeatKey,
  encodeHeartbeatValue,
  HEARTBEAT_VERSION,
  type Heartbeat,
} from "./heartbeat.ts";
export {
  IdentityReplicationPolicy,
  type IdentityReplicationPolicyOptions,
} from "./identity-replication-policy.ts";
export {
  checkpointTopics,
  countHopsForTopic,
  heartbeatTopics,
  remoteTopics,
  replicationHops,
  upstreamClusters,
} from "./mirror-client-topology.ts";
export {
  CLUSTER_SETTINGS,
  type ClusterConfig,
  type ClusterSettingName,
  FLOW_SETTINGS,
  type FlowConfig,
  type FlowSettingName,
  isSensitiveKey,
  MAX_CLUSTERS,
  type Mm2Config,
  type Mm2ConfigIssue,
  type Mm2ConfigIssueCode,
  parseMm2Config,
  readMm2Config,
  type SettingOrigin,
} from "./mm2-config.ts";
export {
  InvalidPatternError,
  Mm2ArgumentError,
  type Mm2ArgumentErrorCode,
  Mm2Error,
  Mm2FormatError,
  type Mm2FormatErrorCode,
} from "./mm2-error.ts";
export {
  MAX_PROPERTIES_BYTES,
  type ParsedProperties,
  parseProperties,
  type SerializePropertiesOptions,
  serializeProperties,
} from "./mm2-properties.ts";
export {
  decodeOffsetSync,
  decodeOffsetSyncKey,
  decodeOffsetSyncValue,
  encodeOffsetSyncKey,
  encodeOffsetSyncValue,
  type OffsetSync,
} from "./offset-sync.ts";
export type { OffsetSyncHistory, OffsetSyncHistoryFactory } from "./offset-sync-history.ts";
export {
  OffsetSyncStore,
  type OffsetSyncStoreOptions,
  type OffsetTranslation,
  type OffsetTranslationFailure,
  translateFromSync,
} from "./offset-sync-store.ts";
export {
  type OffsetSyncPoint,
  type OffsetSyncTrigger,
  PartitionOffsetSyncTracker,
} from "./offset-sync-writer.ts";
export {
  type OffsetSyncsTopicLocation,
  type OffsetSyncsTopicPlacement,
  offsetSyncsTopicPlacement,
} from "./offset-syncs-topic.ts";
export { PatternList } from "./pattern-list.ts";
export {
  DEFAULT_REPLICATION_POLICY_CLASS,
  HEARTBEATS_TOPIC,
  IDENTITY_REPLICATION_POLICY_CLASS,
  type ReplicationPolicy,
} from "./replication-policy.ts";
export { createReplicationPolicy, type ReplicationPolicySettings } from "./replication-policy-factory.ts";
export {
  RETAINED_SYNCS_PER_PARTITION,
  RetainedOffsetSyncHistory,
  retainedOffsetSyncHistory,
} from "./retained-offset-sync-history.ts";
export { MAX_STRING_BYTES, StructReader } from "./struct-codec.ts";
export { DefaultTopicFilter, type TopicFilter, type TopicFilterSettings } from "./topic-filter.ts";
export { isCycle, shouldReplicateTopic, type TopicReplicationContext } from "./topic-replication-rule.ts";
