import { ExponentialOffsetSyncHistory } from "./exponential-offset-sync-history.ts";
import type { OffsetSync } from "./offset-sync.ts";
import type { OffsetSyncHistory, OffsetSyncHistoryFactory } from "./offset-sync-history.ts";
import type { OffsetSyncPoint } from "./offset-sync-writer.ts";

/** Why no downstream offset could be given. */
export type OffsetTranslationFailure =
  /** The offset-syncs topic has not been read to its end once yet (MM2 emits nothing). */
  | "not-read-to-end"
  /** No sync was ever seen for the partition. */
  | "no-offset-sync"
  /** The committed offset is older than every retained sync (MM2 returns -1 and skips it). */
  | "before-oldest-sync";

export type OffsetTranslation =
  | { ok: true; downstreamOffset: number; sync: OffsetSyncPoint }
  | { ok: false; reason: OffsetTranslationFailure };

/**
 * MM2's translation rule from the closest preceding sync: exact when the group sits on the
 * sync's upstream offset, otherwise one past its downstream offset — never further, since
 * the records in between may or may not have been replicated (skipping one would lose it).
 * The caller guarantees `sync.upstreamOffset <= upstreamOffset`.
 */
export function translateFromSync(sync: OffsetSyncPoint, upstreamOffset: number): number {
  return sync.downstreamOffset + (upstreamOffset === sync.upstreamOffset ? 0 : 1);
}

export interface OffsetSyncStoreOptions {
  /** History kept per partition; default MM2's 64 exponential slots. */
  createHistory?: OffsetSyncHistoryFactory;
}

/**
 * Offset syncs read from one offset-syncs topic, and the translation of source consumer
 * group offsets into target offsets (MM2's `OffsetSyncStore`). Feed it every record of the
 * topic in order with {@link handleOffsetSync}, then call {@link markReadToEnd} once the
 * initial read has reached the end offset captured at start.
 */
export class OffsetSyncStore {
  private readonly createHistory: OffsetSyncHistoryFactory;
  private readonly histories = new Map<string, Map<number, OffsetSyncHistory>>();
  private readToEnd = false;

  constructor(options: OffsetSyncStoreOptions = {}) {
    this.createHistory = options.createHistory ?? ((first) => new ExponentialOffsetSyncHistory(first));
  }

  /** True once the offset-syncs topic has been read to its end (MM2's `readToEnd`). */
  get isReadToEnd(): boolean {
    return this.readToEnd;
  }

  /** Marks the initial read of the offset-syncs topic complete; translation starts now. */
  markReadToEnd(): void {
    this.readToEnd = true;
  }

  /** Applies one decoded record of the offset-syncs topic (MM2's `handleRecord`). */
  handleOffsetSync(sync: OffsetSync): void {
    const point: OffsetSyncPoint = {
      upstreamOffset: sync.upstreamOffset,
      downstreamOffset: sync.downstreamOffset,
    };
    let partitions = this.histories.get(sync.topic);
    if (partitions === undefined) {
      partitions = new Map();
      this.histories.set(sync.topic, partitions);
    }
    const history = partitions.get(sync.partition);
    if (history === undefined) partitions.set(sync.partition, this.createHistory(point));
    else history.add(point, this.readToEnd);
  }

  /** Translates a source group's committed offset for a source partition (`translateDownstream`). */
  translateDownstream(topic: string, partition: number, upstreamOffset: number): OffsetTranslation {
    if (!this.readToEnd) return { ok: false, reason: "not-read-to-end" };
    const history = this.histories.get(topic)?.get(partition);
    if (history === undefined) return { ok: false, reason: "no-offset-sync" };
    const sync = history.lookup(upstreamOffset);
    if (sync.upstreamOffset > upstreamOffset) return { ok: false, reason: "before-oldest-sync" };
    return { ok: true, downstreamOffset: translateFromSync(sync, upstreamOffset), sync };
  }

  /** True when at least one sync of `topic` (any partition) was read. */
  hasOffsetSyncs(topic: string): boolean {
    return (this.histories.get(topic)?.size ?? 0) > 0;
  }

  /** Partitions with syncs, and the syncs kept over all of them (for diagnostics). */
  get size(): { partitions: number; syncs: number } {
    let partitions = 0;
    let syncs = 0;
    for (const byPartition of this.histories.values()) {
      for (const history of byPartition.values()) {
        partitions++;
        syncs += history.size;
      }
    }
    return { partitions, syncs };
  }

  /** Distinct syncs kept for a partition, newest first (for diagnostics). */
  retainedSyncs(topic: string, partition: number): OffsetSyncPoint[] {
    return this.histories.get(topic)?.get(partition)?.retained() ?? [];
  }
}
