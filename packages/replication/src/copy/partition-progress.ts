import type { PartitionState } from "@mirrordeck/contracts";
import { PartitionOffsetSyncTracker } from "@mirrordeck/mm2";
import { LatencyHistogram } from "../metrics/latency-histogram.ts";
import type { CopiedRecordMark } from "../ports/position-store.ts";

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
  /** The last record copied (written with the position, so that a claim can check it again). */
  lastCopied: CopiedRecordMark | null = null;
  /**
   * Set until the source partition is proven to be the log the position belongs to: the record at
   * this mark is read again and compared before anything more is copied (see FlowRunner).
   */
  continuityCheck: CopiedRecordMark | null = null;
  /** The consumer was sent to the mark's offset: a batch from anywhere else is looked into. */
  continuitySought = false;
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

  /** Nothing more is copied until the last copied record is found again where it was. */
  requireContinuityCheck(): void {
    if (this.continuityCheck) return; // already under way: a failed fetch may be part of it
    const mark = this.lastCopied;
    this.continuityCheck =
      mark !== null && this.nextOffset !== null && mark.offset < this.nextOffset ? mark : null;
    this.continuitySought = false;
  }

  /** The position moves to `offset` of a log the old mark does not belong to. */
  restartAt(offset: number): void {
    this.nextOffset = offset;
    this.lastCopied = null;
    this.continuityCheck = null;
    this.continuitySought = false;
    this.seekRequestedTo = offset;
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
