/** A source topic-partition of a flow. */
export interface SourcePartition {
  topic: string;
  partition: number;
}

/**
 * The last record copied from a partition, by offset and digest. A topic deleted and created again
 * keeps its name and kafkajs sees no topic IDs, so a claim reads this record again: a different
 * record there means the source partition is not the log the position belongs to.
 */
export interface CopiedRecordMark {
  offset: number;
  digest: string;
}

/** What a worker gets when it takes over partitions: where to resume, and its fencing epoch. */
export interface ClaimedPosition extends SourcePartition {
  /** Next source offset to copy; null when the flow never copied from this partition. */
  nextOffset: number | null;
  /** Increases on every claim; a commit carrying an older epoch is refused (fenced). */
  epoch: number;
  /** Absent or null when unknown (nothing copied yet, or positions set by a failover). */
  lastCopied?: CopiedRecordMark | null;
}

export interface PositionCommit extends SourcePartition {
  nextOffset: number;
  epoch: number;
  lastCopied?: CopiedRecordMark | null;
}

/**
 * Where replication positions live (MM2 keeps them in `mm2-offsets.*` on the target; we keep them
 * in Postgres so they survive the loss of the source cluster and of any worker). Every write is
 * fenced by the epoch handed out by {@link claim}: a worker that lost a partition cannot move it.
 */
export interface PositionStore {
  /** Takes ownership of the partitions for `owner`, bumping each partition's epoch. */
  claim(flowId: string, owner: string, partitions: SourcePartition[]): Promise<ClaimedPosition[]>;
  /**
   * Writes positions whose epoch is still current; returns the partitions that were fenced
   * (claimed by someone else since) and therefore not written.
   */
  commit(flowId: string, commits: PositionCommit[]): Promise<SourcePartition[]>;
  /** Reads positions without claiming (lag reports, failover). */
  read(flowId: string): Promise<(SourcePartition & { nextOffset: number | null; owner: string | null })[]>;
  /**
   * Optional: keeps the source end offset each owner last saw (fenced by epoch), so a failover
   * can estimate the loss when the source is gone.
   */
  recordWatermarks?(flowId: string, marks: SourceWatermark[]): Promise<void>;
  /** Forgets every position of the flow (flow deleted). */
  forget(flowId: string): Promise<void>;
}

export interface SourceWatermark extends SourcePartition {
  sourceEndOffset: number;
  /** Source timestamp (epoch ms) of the newest record copied. */
  lastCopiedTimestamp: number | null;
  epoch: number;
}
