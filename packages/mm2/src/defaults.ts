/*
 * MM2's defaults (MirrorSourceConfig, MirrorCheckpointConfig, MirrorHeartbeatConfig,
 * MirrorConnectorConfig, DefaultTopicFilter, DefaultGroupFilter, DefaultConfigPropertyFilter),
 * for the engine and for the UI to show. List values are written as MM2 writes them.
 */

export const TOPICS_DEFAULT = ".*";
export const TOPICS_EXCLUDE_DEFAULT = ".*[\\-\\.]internal, .*\\.replica, __.*";
export const GROUPS_DEFAULT = ".*";
export const GROUPS_EXCLUDE_DEFAULT = "console-consumer-.*, connect-.*, __.*";
export const CONFIG_PROPERTIES_EXCLUDE_DEFAULT =
  "follower\\.replication\\.throttled\\.replicas, " +
  "leader\\.replication\\.throttled\\.replicas, " +
  "message\\.timestamp\\.difference\\.max\\.ms, " +
  "message\\.timestamp\\.type, " +
  "unclean\\.leader\\.election\\.enable, " +
  "min\\.insync\\.replicas";

export const REPLICATION_POLICY_SEPARATOR_DEFAULT = ".";
export const REPLICATION_POLICY_INTERNAL_TOPIC_SEPARATOR_ENABLED_DEFAULT = true;
/** Replication factor of newly created remote topics. */
export const REPLICATION_FACTOR_DEFAULT = 2;
/** Replication factor of the heartbeats, checkpoints and offset-syncs topics. */
export const INTERNAL_TOPIC_REPLICATION_FACTOR_DEFAULT = 3;
export const TASKS_MAX_DEFAULT = 1;

/** `A->B.enabled`: flows are off unless set. */
export const FLOW_ENABLED_DEFAULT = false;

export const REFRESH_TOPICS_ENABLED_DEFAULT = true;
export const REFRESH_TOPICS_INTERVAL_SECONDS_DEFAULT = 600;
export const REFRESH_GROUPS_ENABLED_DEFAULT = true;
export const REFRESH_GROUPS_INTERVAL_SECONDS_DEFAULT = 600;
export const SYNC_TOPIC_CONFIGS_ENABLED_DEFAULT = true;
export const SYNC_TOPIC_CONFIGS_INTERVAL_SECONDS_DEFAULT = 600;
export const SYNC_TOPIC_ACLS_ENABLED_DEFAULT = true;
export const SYNC_TOPIC_ACLS_INTERVAL_SECONDS_DEFAULT = 600;
export const EMIT_CHECKPOINTS_ENABLED_DEFAULT = true;
export const EMIT_CHECKPOINTS_INTERVAL_SECONDS_DEFAULT = 60;
export const EMIT_HEARTBEATS_ENABLED_DEFAULT = true;
export const EMIT_HEARTBEATS_INTERVAL_SECONDS_DEFAULT = 1;
export const SYNC_GROUP_OFFSETS_ENABLED_DEFAULT = false;
export const SYNC_GROUP_OFFSETS_INTERVAL_SECONDS_DEFAULT = 60;

/** How far (in downstream offsets) translation may lag before a new offset sync is forced. */
export const OFFSET_LAG_MAX_DEFAULT = 100;
export const OFFSET_SYNCS_TOPIC_LOCATION_DEFAULT = "source";
export const EMIT_OFFSET_SYNCS_ENABLED_DEFAULT = true;
/** MM2 flushes delayed offset syncs with each source-offset commit (Connect's `offset.flush.interval.ms`). */
export const OFFSET_SYNC_FLUSH_INTERVAL_MS_DEFAULT = 60_000;
/** Offset syncs kept per source partition by MM2's OffsetSyncStore (`Long.SIZE`). */
export const SYNCS_PER_PARTITION = 64;

/** MM2's source consumers start from the beginning of new partitions unless told otherwise. */
export const CONSUMER_AUTO_OFFSET_RESET_DEFAULT = "earliest";
export const SECURITY_PROTOCOL_DEFAULT = "PLAINTEXT";
export const SASL_MECHANISM_DEFAULT = "GSSAPI";
