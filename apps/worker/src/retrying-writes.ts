import type { Logger } from "./logger.ts";

interface PendingWrite {
  key: string | undefined;
  write: () => Promise<unknown>;
}

/**
 * The worker's own state writes to Postgres (flow state, flow events, metrics history) outlive a
 * Postgres outage: a write that fails is kept and tried again, in order, every `retryMs`, while
 * replication goes on. A keyed write replaces a waiting one with the same key (only the latest
 * state of a flow matters). Bounded: past `maxPending` the oldest are dropped, and counted.
 */
export class RetryingWrites {
  private readonly pending: PendingWrite[] = [];
  private timer: NodeJS.Timeout | undefined;
  private retrying: Promise<void> | undefined;
  private dropped = 0;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly log: Logger,
    private readonly retryMs = 2_000,
    private readonly maxPending = 10_000,
  ) {}

  get waiting(): number {
    return this.pending.length;
  }

  /** Writes now, or (when earlier writes wait or this one fails) later. */
  run(write: () => Promise<unknown>, key?: string): void {
    if (this.pending.length > 0) {
      this.keep({ key, write });
      return;
    }
    const attempt = write().catch((error) => {
      this.log.warn(
        { err: String(error), waiting: this.pending.length + 1 },
        "state write failed; will retry",
      );
      this.keep({ key, write });
    });
    this.inFlight.add(attempt);
    void attempt.finally(() => this.inFlight.delete(attempt));
  }

  /** One more attempt at everything waiting (at shutdown); what still fails is reported. */
  async flush(): Promise<void> {
    await Promise.all([...this.inFlight]);
    clearInterval(this.timer);
    this.timer = undefined;
    await this.retry();
    if (this.pending.length > 0) {
      this.log.error({ lost: this.pending.length }, "state writes still failing at shutdown; dropped");
    }
  }

  private keep(entry: PendingWrite): void {
    if (entry.key !== undefined) {
      const same = this.pending.findIndex((p) => p.key === entry.key);
      if (same >= 0) this.pending.splice(same, 1);
    }
    this.pending.push(entry);
    if (this.pending.length > this.maxPending) {
      this.pending.shift();
      this.dropped += 1;
    }
    this.timer ??= setInterval(() => void this.retry(), this.retryMs);
    this.timer.unref?.();
  }

  private retry(): Promise<void> {
    this.retrying ??= this.retryInOrder().finally(() => {
      this.retrying = undefined;
    });
    return this.retrying;
  }

  private async retryInOrder(): Promise<void> {
    const before = this.pending.length;
    while (this.pending.length > 0) {
      try {
        await this.pending[0]!.write();
      } catch {
        return; // still failing: keep the order, try again on the next tick
      }
      this.pending.shift();
    }
    clearInterval(this.timer);
    this.timer = undefined;
    this.log.info({ written: before, dropped: this.dropped }, "state writes caught up");
    this.dropped = 0;
  }
}
