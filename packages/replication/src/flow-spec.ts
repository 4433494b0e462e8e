import type { ClusterConnection } from "@mirrordeck/kafka";

/** Everything the engine needs to run one flow (source→target); built from the stored flow. */
export interface FlowSpec {
  flowId: string;
  /** Bumped on every edit; a runner restarts when it changes. */
  version: number;
  source: ClusterConnection;
  target: ClusterConnection;
  /** `topics` / `topics.exclude` (MM2 regex lists). */
  topicsInclude: string;
  topicsExclude: string;
  policy: { kind: "DEFAULT" | "IDENTITY"; separator: string };
  startPosition: "EARLIEST" | "LATEST";
  /** At most this many workers copy the flow's partitions at once (MM2 `tasks.max`). */
  tasksMax: number;
  /** Of newly created remote topics. */
  replicationFactor: number;
  syncTopicConfigs: boolean;
  configPropertiesExclude?: string;
  refreshTopicsIntervalMs: number;
  syncTopicConfigsIntervalMs: number;
  /**
   * Exactly-once mode (ADR 0015): records, positions (on the target) and offset syncs commit in
   * one transaction per task; offset syncs then live on the target.
   */
  exactlyOnce: boolean;
  /** `sync.topic.acls.enabled` and `sync.topic.acls.interval.seconds`; run by the flow's leader. */
  syncTopicAcls: boolean;
  syncTopicAclsIntervalMs: number;
  /** Source principal → its name on the target, for copied ACLs. */
  aclPrincipalMap?: Readonly<Record<string, string>>;
  offsetLagMax: number;
  emitOffsetSyncs: boolean;
  offsetSyncsTopicLocation: "source" | "target";
  /** How often positions are written (and due offset syncs sent). */
  commitIntervalMs: number;
  /** Delayed offset syncs are flushed this often (MM2: 60 s). */
  offsetSyncFlushIntervalMs: number;
  metricsIntervalMs: number;
  /** `groups` / `groups.exclude` (MM2 regex lists): the consumer groups to checkpoint. */
  groupsInclude: string;
  groupsExclude: string;
  /** `emit.checkpoints.enabled` and `emit.checkpoints.interval.seconds`. */
  emitCheckpoints: boolean;
  emitCheckpointsIntervalMs: number;
  /** `refresh.groups.interval.seconds`. */
  refreshGroupsIntervalMs: number;
  /** `sync.group.offsets.enabled` and `sync.group.offsets.interval.seconds`. */
  syncGroupOffsets: boolean;
  syncGroupOffsetsIntervalMs: number;
  /** `emit.heartbeats.enabled` and `emit.heartbeats.interval.seconds`. */
  emitHeartbeats: boolean;
  emitHeartbeatsIntervalMs: number;
}

export const FLOW_SPEC_DEFAULTS = {
  topicsExclude: ".*[\\-\\.]internal, .*\\.replica, __.*",
  tasksMax: 1,
  syncTopicConfigs: true,
  refreshTopicsIntervalMs: 600_000,
  syncTopicConfigsIntervalMs: 600_000,
  exactlyOnce: false,
  syncTopicAcls: true,
  syncTopicAclsIntervalMs: 600_000,
  offsetLagMax: 100,
  emitOffsetSyncs: true,
  offsetSyncsTopicLocation: "source",
  commitIntervalMs: 1_000,
  offsetSyncFlushIntervalMs: 60_000,
  metricsIntervalMs: 5_000,
  groupsInclude: ".*",
  groupsExclude: "console-consumer-.*, connect-.*, __.*",
  emitCheckpoints: true,
  emitCheckpointsIntervalMs: 60_000,
  refreshGroupsIntervalMs: 600_000,
  syncGroupOffsets: false,
  syncGroupOffsetsIntervalMs: 60_000,
  emitHeartbeats: true,
  emitHeartbeatsIntervalMs: 1_000,
} as const satisfies Partial<FlowSpec>;

/** The source consumer group of a flow: `__` keeps it out of MM2's default group selection. */
export function sourceGroupId(flowId: string): string {
  return `__mirrordeck.${flowId}`;
}
