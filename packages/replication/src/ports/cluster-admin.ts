/** One topic config entry as the broker reports it. */
export interface TopicConfigEntry {
  name: string;
  value: string | null;
  /** True when the broker's default applies (not set on the topic). */
  isDefault: boolean;
  readOnly: boolean;
  sensitive: boolean;
}

export interface PartitionOffsets {
  partition: number;
  /** Log start offset (first offset still retained). */
  low: number;
  /** Log end offset (high watermark): the offset the next record will get. */
  high: number;
}

export interface NewTopicSpec {
  name: string;
  partitions: number;
  replicationFactor: number;
  configs: Record<string, string>;
}

/** A consumer group's committed offsets on one topic. */
export interface GroupTopicOffsets {
  topic: string;
  /** Committed partitions only (a partition without a committed offset is left out). */
  partitions: { partition: number; offset: number; metadata: string }[];
}

export interface GroupState {
  /**
   * "absent": no such group; "empty": the group exists (committed offsets) but has no members;
   * "active": the group has members or is rebalancing — a group with members is "active".
   */
  state: "absent" | "empty" | "active";
  /** Members the broker reports (0 when it cannot tell: see `describeGroupStates`). */
  members: number;
}

/** The consumer-group operations MM2's checkpoint connector needs from one cluster. */
export interface ConsumerGroupAdmin {
  /** Ids of the cluster's consumer groups (protocol type "consumer", or "" for offsets-only groups). */
  listGroups(): Promise<string[]>;
  /**
   * The group's committed offsets, sorted by topic and partition; a topic with none is left out.
   * With `topics`, only those topics; without, every topic the group committed.
   */
  fetchGroupOffsets(groupId: string, topics?: string[]): Promise<GroupTopicOffsets[]>;
  /**
   * The state of each group, keyed by id (every requested id is in the map). A group whose members
   * the client cannot see (kafkajs: a KIP-848 `group.protocol=consumer` group) is "active" with
   * members 0, so that nobody writes offsets into it.
   */
  describeGroupStates(groupIds: string[]): Promise<Map<string, GroupState>>;
  /**
   * Commits `partitions`' offsets (empty metadata) for the group on `topic`. Refused with an
   * `AdminError` coded "GROUP_ACTIVE" while the group has members (offsets of a running group
   * belong to its consumers), also when members joined while committing and some offsets did not
   * land. Slow in the kafkajs implementation (~5 s a call); calls for one group run one at a time.
   */
  commitGroupOffsets(
    groupId: string,
    topic: string,
    partitions: { partition: number; offset: number }[],
  ): Promise<void>;
}

/**
 * The admin operations the engine needs from one cluster: topics, and consumer groups for the
 * checkpoint connector ({@link ConsumerGroupAdmin}). Implemented over kafkajs in
 * `kafkajs/kafkajs-cluster-admin.ts`; kept small so the client can be swapped.
 */
export interface ClusterAdmin extends ConsumerGroupAdmin {
  readonly alias: string;
  listTopics(): Promise<string[]>;
  /** Partition counts of the given topics; absent topics are missing from the map. */
  partitionCounts(topics: string[]): Promise<Map<string, number>>;
  partitionOffsets(topic: string): Promise<PartitionOffsets[]>;
  /** Creates the topic; succeeds quietly when it already exists. */
  createTopic(spec: NewTopicSpec): Promise<void>;
  /** Grows the topic to `totalPartitions` (never shrinks). */
  createPartitions(topic: string, totalPartitions: number): Promise<void>;
  describeTopicConfigs(topics: string[]): Promise<Map<string, TopicConfigEntry[]>>;
  /**
   * Replaces the topic's dynamic configs with `configs` (kafkajs has no incremental alter, so
   * callers pass the full merged set they want to keep).
   */
  replaceTopicConfigs(topic: string, configs: Record<string, string>): Promise<void>;
  deleteTopic(topic: string): Promise<void>;
  /** Moves the partition's log start to `offset` (what is before it is deleted). */
  deleteRecordsBefore(topic: string, partition: number, offset: number): Promise<void>;
  close(): Promise<void>;
}
