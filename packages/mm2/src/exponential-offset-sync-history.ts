import { SYNCS_PER_PARTITION } from "./defaults.ts";
import type { OffsetSyncHistory } from "./offset-sync-history.ts";
import type { OffsetSyncPoint } from "./offset-sync-writer.ts";

/**
 * MM2's per-partition sync array (`OffsetSyncStore.updateSyncArray`): 64 slots holding
 * syncs spaced roughly exponentially back from the latest, so translation is precise near
 * the live end and coarse far behind it. Invariants, for slots i < j holding distinct syncs:
 *  A. slot 0 is the latest sync;
 *  B. syncs[i].upstream <= syncs[j].upstream + 2^j - 2^i (old slots are not too old);
 *  C. syncs[i].upstream >= syncs[j].upstream + 2^(i-2) (distinct slots are spread out);
 *  D. slot 63 is the earliest sync usable for translation.
 * Identity of sync objects matters, as in Java: equal slots are the same object.
 */
export class ExponentialOffsetSyncHistory implements OffsetSyncHistory {
  private readonly syncs: OffsetSyncPoint[];

  constructor(first: OffsetSyncPoint) {
    this.syncs = new Array<OffsetSyncPoint>(SYNCS_PER_PARTITION).fill(first);
  }

  get size(): number {
    return new Set(this.syncs).size;
  }

  add(sync: OffsetSyncPoint, readToEnd: boolean): void {
    const syncs = this.syncs;
    // While loading, keep only the latest so that translation never goes backwards after a
    // restart; after an upstream rewind every older sync is invalid.
    if (!readToEnd || slot(syncs, 0).upstreamOffset > sync.upstreamOffset) {
      syncs.fill(sync);
      return;
    }
    const original = syncs.slice();
    let replacement = sync;
    let replacementIndex = 0; // next candidate in `original` to promote into later slots
    syncs[0] = sync;
    for (let current = 1; current < SYNCS_PER_PARTITION; current++) {
      const previous = current - 1;
      const previousSync = slot(syncs, previous);
      // Prefer promoting an old value over repeating `replacement`: more distinct syncs survive.
      let skipOldValue: boolean;
      do {
        const oldValue = slot(original, replacementIndex);
        const isRecent = invariantB(previousSync, oldValue, previous, current);
        const separatedFromPrevious = invariantC(previousSync, oldValue, previous);
        const next = current + 1;
        const separatedFromNext =
          next >= SYNCS_PER_PARTITION || invariantC(oldValue, slot(syncs, next), current);
        const duplicate =
          replacementIndex + 1 < SYNCS_PER_PARTITION && oldValue === original[replacementIndex + 1];
        const promote = isRecent && separatedFromPrevious && separatedFromNext;
        if (promote) replacement = oldValue;
        // Values too close to the previous slot can never be used further back either.
        skipOldValue = duplicate || !separatedFromPrevious;
        if (promote || skipOldValue) replacementIndex++;
      } while (replacementIndex < current && skipOldValue);

      if (invariantB(previousSync, slot(syncs, current), previous, current)) {
        break; // B holds here, so it holds for every later slot: keep the existing tail.
      }
      syncs[current] = replacement;
    }
  }

  lookup(upstreamOffset: number): OffsetSyncPoint {
    // Newest first: effectively a binary search over exponentially spaced offsets.
    for (const sync of this.syncs) {
      if (sync.upstreamOffset <= upstreamOffset) return sync;
    }
    return slot(this.syncs, SYNCS_PER_PARTITION - 1);
  }

  retained(): OffsetSyncPoint[] {
    return this.syncs.filter((sync, i) => i === 0 || sync !== this.syncs[i - 1]);
  }

  /** Slot `index` (0 = latest); exposed for invariant tests. */
  syncAt(index: number): OffsetSyncPoint {
    return slot(this.syncs, index);
  }
}

function slot(syncs: readonly OffsetSyncPoint[], index: number): OffsetSyncPoint {
  return syncs[index]!;
}

// Offsets are safe integers, so these float computations agree with Java's long arithmetic:
// below 2^53 they are exact; above it both sides compare the same way against safe offsets.
function invariantB(iSync: OffsetSyncPoint, jSync: OffsetSyncPoint, i: number, j: number): boolean {
  const bound = jSync.upstreamOffset + (2 ** j - 2 ** i);
  return iSync === jSync || bound < 0 || iSync.upstreamOffset <= bound;
}

function invariantC(iSync: OffsetSyncPoint, jSync: OffsetSyncPoint, i: number): boolean {
  const bound = jSync.upstreamOffset + 2 ** Math.max(i - 2, 0);
  return iSync === jSync || (bound >= 0 && iSync.upstreamOffset >= bound);
}
