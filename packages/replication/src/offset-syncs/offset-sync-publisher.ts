import { encodeOffsetSyncKey, encodeOffsetSyncValue } from "@mirrordeck/mm2";
import type { Producer } from "kafkajs";

export interface PendingOffsetSync {
  topic: string;
  partition: number;
  upstreamOffset: number;
  downstreamOffset: number;
}

/**
 * Writes offset syncs to `mm2-offset-syncs.<alias>.internal` (one partition, compacted) in MM2's
 * binary format (MM2's `OffsetSyncWriter`). Syncs queue up between commits; the runner sends
 * them only after the positions they follow were written unfenced.
 */
export class OffsetSyncPublisher {
  private pending = new Map<string, PendingOffsetSync[]>();

  constructor(
    private readonly producer: Producer,
    readonly topic: string,
  ) {}

  add(sync: PendingOffsetSync): void {
    const key = `${sync.topic}\u0000${sync.partition}`;
    const list = this.pending.get(key);
    if (list) list.push(sync);
    else this.pending.set(key, [sync]);
  }

  /** Forgets what a fenced partition queued: another worker owns it now. */
  drop(topic: string, partition: number): void {
    this.pending.delete(`${topic}\u0000${partition}`);
  }

  get size(): number {
    let n = 0;
    for (const list of this.pending.values()) n += list.length;
    return n;
  }

  /** Sends everything queued in one request; on failure the syncs stay queued for the next try. */
  async flush(): Promise<number> {
    if (this.pending.size === 0) return 0;
    const batch = this.pending;
    this.pending = new Map();
    const messages = [];
    for (const list of batch.values()) {
      for (const sync of list) {
        messages.push({ partition: 0, key: encodeOffsetSyncKey(sync), value: encodeOffsetSyncValue(sync) });
      }
    }
    try {
      await this.producer.send({ topic: this.topic, acks: -1, messages });
      return messages.length;
    } catch (error) {
      for (const [key, list] of batch) {
        const newer = this.pending.get(key);
        this.pending.set(key, newer ? [...list, ...newer] : list);
      }
      throw error;
    }
  }
}
