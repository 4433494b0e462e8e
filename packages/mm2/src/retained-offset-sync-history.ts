import { Mm2ArgumentError } from "./mm2-error.ts";
import type { OffsetSyncHistory, OffsetSyncHistoryFactory } from "./offset-sync-history.ts";
import type { OffsetSyncPoint } from "./offset-sync-writer.ts";

/** Default bound on the syncs kept per partition: 16 bytes each, so at most 256 KiB. */
export const RETAINED_SYNCS_PER_PARTITION = 16_384;

const INITIAL_CAPACITY = 16;

/**
 * MirrorDeck's offset-sync history (ADR 0005): every sync read from the offset-syncs topic is
 * kept, in two growable typed arrays sorted by upstream and downstream offset alike, up to
 * `maxSyncs` per partition. So a group at any distance behind the head translates from the
 * closest preceding sync that was written, within `offset.lag.max` of its exact position, where
 * MM2 (KAFKA-14666) keeps 64 exponentially spaced syncs and rounds far-behind groups down to
 * the nearest one. When a partition reaches `maxSyncs`, every other sync of its older half is
 * dropped, so precision degrades gracefully (twice the spacing) only for the oldest offsets.
 *
 * Unlike MM2 the history is kept while the topic is first read (MM2 keeps only the latest
 * sync until then, losing translation history on every restart, KAFKA-15905); consistency is
 * kept by these rules instead, applied to each sync in topic order:
 *  - downstream rewind (target topic re-created or truncated): older pairs point into data that
 *    is gone, start over;
 *  - upstream rewind (a takeover re-copied records): syncs at or past its upstream offset are
 *    superseded by the re-copy, drop them;
 *  - same upstream offset again (a re-copy of that record): keep the earlier, closer pair.
 * Every kept pair stays true (the record at `upstream` was written at `downstream`, and every
 * later record was written after it), so translating from any of them never skips a record.
 */
export class RetainedOffsetSyncHistory implements OffsetSyncHistory {
  readonly maxSyncs: number;
  private upstream: Float64Array;
  private downstream: Float64Array;
  private count = 0;

  constructor(first: OffsetSyncPoint, maxSyncs: number = RETAINED_SYNCS_PER_PARTITION) {
    if (!Number.isSafeInteger(maxSyncs) || maxSyncs < 2) {
      throw new Mm2ArgumentError(
        "INVALID_ARGUMENT",
        `offset sync history bound must be >= 2, got ${maxSyncs}`,
      );
    }
    this.maxSyncs = maxSyncs;
    const capacity = Math.min(INITIAL_CAPACITY, maxSyncs);
    this.upstream = new Float64Array(capacity);
    this.downstream = new Float64Array(capacity);
    this.append(first.upstreamOffset, first.downstreamOffset);
  }

  /** Number of syncs kept. */
  get size(): number {
    return this.count;
  }

  add(sync: OffsetSyncPoint, _readToEnd: boolean): void {
    const last = this.count - 1;
    const newestUp = this.upstream[last]!;
    const newestDown = this.downstream[last]!;
    if (sync.downstreamOffset < newestDown) {
      this.count = 0;
    } else if (sync.upstreamOffset < newestUp) {
      this.count = this.firstIndexAtOrAfter(sync.upstreamOffset);
    } else if (sync.upstreamOffset === newestUp) {
      return;
    }
    this.append(sync.upstreamOffset, sync.downstreamOffset);
  }

  lookup(upstreamOffset: number): OffsetSyncPoint {
    const index = this.lastIndexAtOrBefore(upstreamOffset);
    return this.point(index < 0 ? 0 : index);
  }

  retained(): OffsetSyncPoint[] {
    const result: OffsetSyncPoint[] = [];
    for (let i = this.count - 1; i >= 0; i--) result.push(this.point(i));
    return result;
  }

  /** Upstream offset of the oldest sync kept. */
  get oldestUpstreamOffset(): number {
    return this.upstream[0]!;
  }

  private point(i: number): OffsetSyncPoint {
    return { upstreamOffset: this.upstream[i]!, downstreamOffset: this.downstream[i]! };
  }

  private append(up: number, down: number): void {
    if (this.count === this.upstream.length) {
      if (this.count >= this.maxSyncs) this.thinOlderHalf();
      else this.grow(Math.min(this.maxSyncs, this.upstream.length * 2));
    }
    this.upstream[this.count] = up;
    this.downstream[this.count] = down;
    this.count++;
  }

  private grow(capacity: number): void {
    const up = new Float64Array(capacity);
    const down = new Float64Array(capacity);
    up.set(this.upstream.subarray(0, this.count));
    down.set(this.downstream.subarray(0, this.count));
    this.upstream = up;
    this.downstream = down;
  }

  /** Drops indexes 1, 3, 5, … of the older half; keeps the oldest and the newer half. */
  private thinOlderHalf(): void {
    const half = Math.max(1, this.count >>> 1);
    let write = 0;
    for (let read = 0; read < this.count; read++) {
      if (read <= half && read % 2 === 1) continue;
      this.upstream[write] = this.upstream[read]!;
      this.downstream[write] = this.downstream[read]!;
      write++;
    }
    this.count = write;
  }

  /** Last index whose upstream offset is <= `offset`, or -1. */
  private lastIndexAtOrBefore(offset: number): number {
    let low = 0;
    let high = this.count - 1;
    let found = -1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      if (this.upstream[mid]! <= offset) {
        found = mid;
        low = mid + 1;
      } else {
        high = mid - 1;
      }
    }
    return found;
  }

  /** First index whose upstream offset is >= `offset` (or `size`). */
  private firstIndexAtOrAfter(offset: number): number {
    return this.lastIndexAtOrBefore(offset - 1) + 1;
  }
}

/** History factory for {@link OffsetSyncStore} keeping up to `maxSyncs` syncs per partition. */
export function retainedOffsetSyncHistory(
  maxSyncs: number = RETAINED_SYNCS_PER_PARTITION,
): OffsetSyncHistoryFactory {
  return (first) => new RetainedOffsetSyncHistory(first, maxSyncs);
}
