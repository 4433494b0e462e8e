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

/**
 * The admin operations the engine needs from one cluster. Implemented over kafkajs in
 * `kafkajs/kafkajs-cluster-admin.ts`; kept small so the client can be swapped.
 */
export interface ClusterAdmin {
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
  close(): Promise<void>;
}
