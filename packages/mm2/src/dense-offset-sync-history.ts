import { ExponentialOffsetSyncHistory } from "./exponential-offset-sync-history.ts";
import { Mm2ArgumentError } from "./mm2-error.ts";
import type { OffsetSyncHistory, OffsetSyncHistoryFactory } from "./offset-sync-history.ts";
import type { OffsetSyncPoint } from "./offset-sync-writer.ts";

/**
 * MirrorDeck's improvement on MM2 for lagging groups: every one of the last `capacity` syncs
 * is kept, and MM2's exponential slots cover what is older. For a committed offset at or
 * after the oldest kept sync, translation uses the closest preceding sync that was ever
 * written, so it errs by at most `offset.lag.max` (MM2 can err by up to half the distance
 * to the live end). Memory: `capacity` pairs + 64 slots per partition.
 *
 * Also unlike MM2, a downstream rewind (target topic re-created) starts a new history: older
 * pairs point into a topic that no longer exists.
 */
export class DenseOffsetSyncHistory implements OffsetSyncHistory {
  readonly capacity: number;
  // Ring buffer, oldest at `start`; upstream offsets are non-decreasing along it.
  private readonly ring: OffsetSyncPoint[];
  private start = 0;
  private size = 0;
  private sparse: ExponentialOffsetSyncHistory;

  constructor(first: OffsetSyncPoint, capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) {
      throw new Mm2ArgumentError("INVALID_ARGUMENT", `dense history capacity must be >= 1, got ${capacity}`);
    }
    this.capacity = capacity;
    this.ring = new Array<OffsetSyncPoint>(capacity);
    this.sparse = new ExponentialOffsetSyncHistory(first);
    this.push(first);
  }

  add(sync: OffsetSyncPoint, readToEnd: boolean): void {
    const newest = this.at(this.size - 1);
    if (
      !readToEnd ||
      sync.upstreamOffset < newest.upstreamOffset ||
      sync.downstreamOffset < newest.downstreamOffset
    ) {
      this.start = 0;
      this.size = 0;
      this.sparse = new ExponentialOffsetSyncHistory(sync);
      this.push(sync);
      return;
    }
    this.push(sync);
    this.sparse.add(sync, true);
  }

  lookup(upstreamOffset: number): OffsetSyncPoint {
    if (this.at(0).upstreamOffset > upstreamOffset) return this.sparse.lookup(upstreamOffset);
    // Last ring index whose upstream offset is <= the requested one.
    let low = 0;
    let high = this.size - 1;
    while (low < high) {
      const mid = (low + high + 1) >>> 1;
      if (this.at(mid).upstreamOffset <= upstreamOffset) low = mid;
      else high = mid - 1;
    }
    return this.at(low);
  }

  retained(): OffsetSyncPoint[] {
    const result: OffsetSyncPoint[] = [];
    for (let i = this.size - 1; i >= 0; i--) result.push(this.at(i));
    const oldestDense = this.at(0).upstreamOffset;
    for (const sync of this.sparse.retained()) {
      if (sync.upstreamOffset < oldestDense) result.push(sync);
    }
    return result;
  }

  /** Upstream offset of the oldest sync kept densely: translation from here on is within offset.lag.max. */
  get denseFromUpstreamOffset(): number {
    return this.at(0).upstreamOffset;
  }

  private push(sync: OffsetSyncPoint): void {
    if (this.size < this.capacity) {
      this.ring[(this.start + this.size) % this.capacity] = sync;
      this.size++;
    } else {
      this.ring[this.start] = sync;
      this.start = (this.start + 1) % this.capacity;
    }
  }

  /** i-th kept sync, 0 = oldest. */
  private at(i: number): OffsetSyncPoint {
    return this.ring[(this.start + i) % this.capacity]!;
  }
}

/** History factory for {@link OffsetSyncStore} keeping the last `capacity` syncs of each partition. */
export function denseOffsetSyncHistory(capacity: number): OffsetSyncHistoryFactory {
  return (first) => new DenseOffsetSyncHistory(first, capacity);
}
