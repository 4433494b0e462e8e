export {
  planTopicAclSync,
  type TopicAclBinding,
  type TopicAclPlan,
  targetAclBinding,
} from "./acls/topic-acl-plan.ts";
export {
  type AclSideView,
  describeAclRefusal,
  readTopicAclView,
  syncTopicAcls,
  type TopicAclSyncInput,
  type TopicAclSyncResult,
  type TopicAclView,
} from "./acls/topic-acl-sync.ts";
export { checkpointKey, planCheckpoints } from "./checkpoints/checkpoint-planner.ts";
export type { EngineLogger } from "./engine-logger.ts";
export type { FlowHealth, FlowRunnerEvent, FlowRunnerEventKind } from "./flow-events.ts";
export { FlowRunner, type FlowRunnerDeps } from "./flow-runner.ts";
export { FLOW_SPEC_DEFAULTS, type FlowSpec, sourceGroupId } from "./flow-spec.ts";
export { AdminError, createKafkajsClusterAdmin } from "./kafkajs/kafkajs-cluster-admin.ts";
export { readTopicToEnd } from "./kafkajs/read-topic-to-end.ts";
export { mapLimit } from "./map-limit.ts";
export type { AclAdmin } from "./ports/acl-admin.ts";
export type { ClusterAdmin, PartitionOffsets, TopicConfigEntry } from "./ports/cluster-admin.ts";
export type {
  ClaimedPosition,
  PositionCommit,
  PositionStore,
  SourcePartition,
} from "./ports/position-store.ts";
export { syncTargetTopics, type TopicSyncOutcome } from "./topics/target-topic-sync.ts";
export { flowReplicationPolicy, selectTopics } from "./topics/topic-selection.ts";
