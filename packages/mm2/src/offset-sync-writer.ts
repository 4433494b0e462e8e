import { OFFSET_LAG_MAX_DEFAULT } from "./defaults.ts";

/** Why a sync was due at once; the first that applies, in this order. */
export type OffsetSyncTrigger = "first-record" | "downstream-rewind" | "upstream-gap" | "offset-lag";

/** One (upstream, downstream) pair of a source partition. */
export interface OffsetSyncPoint {
  upstreamOffset: number;
  downstreamOffset: number;
}

/**
 * Decides, for one source partition, when an offset sync must be written (MM2's
 * `OffsetSyncWriter.PartitionState` plus its per-partition delayed sync).
 *
 * Call {@link update} after the target acks each record. "sync-now": write this pair now.
 * "delayed": it is kept as the partition's delayed sync, which {@link takeDelayedSync} hands
 * to the periodic flush (MM2: every offset commit, 60 s) so that quiet topics converge.
 * Offsets are safe integers; the tracker starts fresh for every task lifetime, as in MM2.
 */
export class PartitionOffsetSyncTracker {
  readonly maxOffsetLag: number;
  private previousUpstreamOffset = -1;
  private previousDownstreamOffset = -1;
  private lastSyncDownstreamOffset = -1;
  private synced = false;
  private delayedUpstreamOffset = -1;
  private delayedDownstreamOffset = -1;
  private hasDelayed = false;
  private trigger: OffsetSyncTrigger | undefined;

  /** @param maxOffsetLag `offset.lag.max` (default 100). */
  constructor(maxOffsetLag: number = OFFSET_LAG_MAX_DEFAULT) {
    this.maxOffsetLag = maxOffsetLag;
  }

  /** Why the last "sync-now" was due; undefined before the first. */
  get lastTrigger(): OffsetSyncTrigger | undefined {
    return this.trigger;
  }

  /** Records the ack of upstream offset `upstreamOffset` written at `downstreamOffset`. */
  update(upstreamOffset: number, downstreamOffset: number): "sync-now" | "delayed" {
    const trigger = this.dueTrigger(upstreamOffset, downstreamOffset);
    this.previousUpstreamOffset = upstreamOffset;
    this.previousDownstreamOffset = downstreamOffset;
    if (trigger !== undefined) {
      this.synced = true;
      this.lastSyncDownstreamOffset = downstreamOffset;
      this.trigger = trigger;
      this.hasDelayed = false; // superseded by the sync written now
      return "sync-now";
    }
    this.delayedUpstreamOffset = upstreamOffset;
    this.delayedDownstreamOffset = downstreamOffset;
    this.hasDelayed = true;
    return "delayed";
  }

  /** True when a delayed sync waits for the periodic flush. */
  get hasDelayedSync(): boolean {
    return this.hasDelayed;
  }

  /**
   * Hands over the latest delayed pair and forgets it (MM2's `promoteDelayedOffsetSyncs`).
   * Writing it does not move the lag baseline, exactly as in MM2.
   */
  takeDelayedSync(): OffsetSyncPoint | undefined {
    if (!this.hasDelayed) return undefined;
    this.hasDelayed = false;
    return { upstreamOffset: this.delayedUpstreamOffset, downstreamOffset: this.delayedDownstreamOffset };
  }

  private dueTrigger(upstreamOffset: number, downstreamOffset: number): OffsetSyncTrigger | undefined {
    if (!this.synced) return "first-record";
    if (downstreamOffset < this.previousDownstreamOffset) return "downstream-rewind";
    // Compaction, transaction markers or a seek: translation cannot step over the gap.
    if (upstreamOffset - this.previousUpstreamOffset !== 1) return "upstream-gap";
    // Translation lands one past the last sync, hence the +1.
    if (downstreamOffset - (this.lastSyncDownstreamOffset + 1) >= this.maxOffsetLag) return "offset-lag";
    return undefined;
  }
}
