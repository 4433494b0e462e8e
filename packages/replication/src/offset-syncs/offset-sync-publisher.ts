import { encodeOffsetSyncKey, encodeOffsetSyncValue } from "@mirrordeck/mm2";
import type { Producer } from "kafkajs";
import { chunkBySize } from "../kafkajs/chunk-messages.ts";

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

  /**
   * Removes and returns, encoded for the offset-syncs topic, the syncs queued for the partitions
   * `keep` selects: in exactly-once mode they are sent in the partitions' task transaction.
   */
  take(
    keep: (topic: string, partition: number) => boolean,
  ): { partition: number; key: Buffer; value: Buffer }[] {
    const taken: { partition: number; key: Buffer; value: Buffer }[] = [];
    for (const [key, list] of this.pending) {
      const first = list[0];
      if (first === undefined || !keep(first.topic, first.partition)) continue;
      this.pending.delete(key);
      for (const sync of list) {
        taken.push({ partition: 0, key: encodeOffsetSyncKey(sync), value: encodeOffsetSyncValue(sync) });
      }
    }
    return taken;
  }

  /**
   * Sends everything queued, in requests under the brokers' size limit; what was not sent stays
   * queued for the next try (ahead of anything queued since).
   */
  async flush(): Promise<number> {
    if (this.pending.size === 0) return 0;
    const batch = this.pending;
    this.pending = new Map();
    const messages = [];
    for (const list of batch.values()) {
      for (const sync of list) {
        messages.push({
          partition: 0,
          key: encodeOffsetSyncKey(sync),
          value: encodeOffsetSyncValue(sync),
          sync,
        });
      }
    }
    let sent = 0;
    const chunks = chunkBySize(messages);
    for (const [i, chunk] of chunks.entries()) {
      try {
        await this.producer.send({
          topic: this.topic,
          acks: -1,
          messages: chunk.map(({ partition, key, value }) => ({ partition, key, value })),
        });
        sent += chunk.length;
      } catch (error) {
        const newer = this.pending;
        this.pending = new Map();
        for (const rest of chunks.slice(i)) for (const { sync } of rest) this.add(sync);
        for (const list of newer.values()) for (const sync of list) this.add(sync);
        throw error;
      }
    }
    return sent;
  }
}
