import type { OffsetSyncPoint } from "./offset-sync-writer.ts";

/**
 * The syncs an OffsetSyncStore keeps for one source partition. Never empty: it is created
 * with the partition's first sync. Implementations: MM2's 64 exponentially spaced slots
 * ({@link ExponentialOffsetSyncHistory}) and MirrorDeck's bounded full history
 * ({@link RetainedOffsetSyncHistory}).
 */
export interface OffsetSyncHistory {
  /**
   * Adds the newest sync read from the offset-syncs topic. `readToEnd` is false during the
   * initial read of the topic, when MM2 keeps only the latest sync.
   */
  add(sync: OffsetSyncPoint, readToEnd: boolean): void;
  /**
   * The newest retained sync with `upstreamOffset <= offset`; when every retained sync is
   * newer than `offset`, the oldest retained one (MM2's `lookupLatestSync`).
   */
  lookup(upstreamOffset: number): OffsetSyncPoint;
  /** Number of syncs kept. */
  readonly size: number;
  /** Distinct retained syncs, newest first. */
  retained(): OffsetSyncPoint[];
}

/** Creates the history of a partition from its first sync. */
export type OffsetSyncHistoryFactory = (first: OffsetSyncPoint) => OffsetSyncHistory;
