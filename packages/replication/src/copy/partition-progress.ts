import type { PartitionState } from "@mirrordeck/contracts";
import { PartitionOffsetSyncTracker } from "@mirrordeck/mm2";
import { LatencyHistogram } from "../metrics/latency-histogram.ts";

/** Everything a runner knows about one source partition it owns. Mutated in place on the copy path. */
export class PartitionProgress {
  /** Next source offset to copy; null until the first fetch of a partition the flow never copied. */
  nextOffset: number | null;
  /** Last position written to the position store. */
  committedOffset: number | null;
  /** Source log-end offset last seen (fetch high watermark or admin refresh). */
  logEndOffset: number | null = null;
  /** Offset on the target of the last record this worker wrote there (a reset shows as a step back). */
  lastDownstreamOffset: number | null = null;
  /** Timestamp of the newest record copied, for lag in seconds. */
  lastCopiedTimestamp: number | null = null;
  /** What was last written as this partition's watermark (failover's loss estimate). */
  recordedLogEnd: number | null = null;
  recordedCopiedTimestamp: number | null = null;
  state: PartitionState = "running";
  error: string | null = null;
  /** Set when another worker claimed the partition since: nothing more may be written for it. */
  fenced = false;
  /** The batch being sent to the target (settles, never rejects: failures are handled inside). */
  inFlight: Promise<void> = Promise.resolve();
  /** The offset we asked the consumer to seek to, to tell a retention gap from a seek race. */
  seekRequestedTo: number | null = null;
  readonly syncTracker: PartitionOffsetSyncTracker;
  // Interval counters, reset at every metrics publish.
  intervalRecords = 0;
  /**
   * The highest lag seen when a batch landed in the current metrics interval (records fetched
   * behind it and not copied yet): a copy that keeps up drains a burst between two samples, and the
   * chart must still show that the burst was there; a trickle shows none.
   */
  intervalPeakLag = 0;
  intervalBytes = 0;
  readonly latency = new LatencyHistogram();
  recordsCopied = 0;
  /** `recordsCopied` at the previous commit: equal means the partition went quiet. */
  recordsCopiedAtLastCommit = 0;
  /** When a quiet partition last sent its delayed offset sync early. */
  lastQuietSyncAt = 0;

  constructor(
    readonly topic: string,
    readonly partition: number,
    readonly remoteTopic: string,
    nextOffset: number | null,
    public epoch: number,
    offsetLagMax: number,
  ) {
    this.nextOffset = nextOffset;
    this.committedOffset = nextOffset;
    this.syncTracker = new PartitionOffsetSyncTracker(offsetLagMax);
  }

  get dirty(): boolean {
    return this.nextOffset !== null && this.nextOffset !== this.committedOffset;
  }

  /** Notes the lag now (called when a batch has landed on the target). */
  notePeakLag(): void {
    const lag = this.lagRecords;
    if (lag !== null && lag > this.intervalPeakLag) this.intervalPeakLag = lag;
  }

  get lagRecords(): number | null {
    if (this.logEndOffset === null || this.nextOffset === null) return null;
    return Math.max(0, this.logEndOffset - this.nextOffset);
  }
}

export const partitionKey = (topic: string, partition: number): string => `${topic}\u0000${partition}`;
