import { flowSettingsSchema } from "@mirrordeck/contracts";
import { type FlowWithConnections, openClusterConnection } from "@mirrordeck/db";
import type { FlowSpec } from "@mirrordeck/replication";
import type { SecretBox } from "@mirrordeck/security";

/**
 * Builds the engine's view of a stored flow; settings the flow lacks take MM2's defaults.
 * @throws when a cluster's secrets cannot be opened (no or another MIRRORDECK_SECRET_KEY).
 */
export function flowSpecFromRow(row: FlowWithConnections, secrets: () => SecretBox): FlowSpec {
  const settings = flowSettingsSchema.parse(row.settings ?? {});
  return {
    flowId: row.id,
    version: row.version,
    source: openClusterConnection(row.sourceCluster, secrets),
    target: openClusterConnection(row.targetCluster, secrets),
    topicsInclude: row.topicsInclude,
    topicsExclude: row.topicsExclude,
    policy: { kind: row.replicationPolicy, separator: row.separator },
    startPosition: row.startPosition,
    tasksMax: row.tasksMax,
    replicationFactor: row.replicationFactor,
    syncTopicConfigs: settings.syncTopicConfigs,
    ...(settings.configPropertiesExclude !== undefined && {
      configPropertiesExclude: settings.configPropertiesExclude,
    }),
    refreshTopicsIntervalMs: settings.refreshTopicsIntervalSeconds * 1000,
    syncTopicConfigsIntervalMs: settings.syncTopicConfigsIntervalSeconds * 1000,
    syncTopicAcls: settings.syncTopicAcls,
    syncTopicAclsIntervalMs: settings.syncTopicAclsIntervalSeconds * 1000,
    ...(settings.aclPrincipalMap !== undefined && { aclPrincipalMap: settings.aclPrincipalMap }),
    offsetLagMax: settings.offsetLagMax,
    emitOffsetSyncs: settings.emitOffsetSyncs,
    // Exactly-once commits offset syncs in the target transaction: they live on the target.
    offsetSyncsTopicLocation: settings.exactlyOnce ? "target" : settings.offsetSyncsTopicLocation,
    exactlyOnce: settings.exactlyOnce,
    commitIntervalMs: settings.commitIntervalMs,
    offsetSyncFlushIntervalMs: settings.offsetSyncFlushIntervalSeconds * 1000,
    // As often as the UI streams (2 s), so a chart point is never older than one interval.
    metricsIntervalMs: 2_000,
    groupsInclude: row.groupsInclude,
    groupsExclude: row.groupsExclude,
    emitCheckpoints: settings.emitCheckpointsEnabled,
    emitCheckpointsIntervalMs: settings.emitCheckpointsIntervalSeconds * 1000,
    refreshGroupsIntervalMs: settings.refreshGroupsIntervalSeconds * 1000,
    syncGroupOffsets: settings.syncGroupOffsetsEnabled,
    syncGroupOffsetsIntervalMs: settings.syncGroupOffsetsIntervalSeconds * 1000,
    emitHeartbeats: settings.emitHeartbeatsEnabled,
    emitHeartbeatsIntervalMs: settings.emitHeartbeatsIntervalSeconds * 1000,
  };
}

/** Two specs that differ in anything a runner uses need a restart. */
export function specFingerprint(spec: FlowSpec): string {
  return JSON.stringify(spec);
}
