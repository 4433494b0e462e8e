import type { Message, Producer, TopicMessages } from "kafkajs";

/**
 * One topic's messages, each with its partition set, as handed to kafkajs's sendBatch. kafkajs
 * groups them per partition with `messages.reduce`, copying the partition's array for every message
 * (quadratic: 8 % of the copy's CPU in a profile with 500-record chunks); this array groups them in
 * one pass instead, with the same result: every message has its partition, which kafkajs's
 * partitioners return as it is.
 */
export class PartitionedMessages extends Array<Message> {
  /** Arrays derived from it (map, filter, slice) are plain ones. */
  static override get [Symbol.species]() {
    return Array;
  }

  // biome-ignore lint/suspicious/noExplicitAny: Array's own reduce signature
  override reduce(callback: any, ...initial: any[]): any {
    if (initial.length !== 1 || !isEmptyObject(initial[0]) || !this.every(hasPartition)) {
      return super.reduce(callback, ...(initial as [unknown]));
    }
    const grouped: Record<number, Message[]> = initial[0];
    for (const m of this) {
      const partition = m.partition as number;
      const list = grouped[partition];
      if (list === undefined) grouped[partition] = [m];
      else list.push(m);
    }
    return grouped;
  }
}

function hasPartition(m: Message): boolean {
  return typeof m.partition === "number";
}

function isEmptyObject(value: unknown): value is Record<number, Message[]> {
  return (
    typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).length === 0
  );
}

/** Produce requests carry at most this much (the broker takes up to 100 MB; this keeps memory low). */
const MAX_REQUEST_BYTES = 2 * 1024 * 1024;

interface PendingChunk {
  topic: string;
  partition: number;
  messages: Message[];
  bytes: number;
  resolve: (baseOffset: number) => void;
  reject: (error: unknown) => void;
}

/** A partition whose chunk failed on its own is sent apart from the others for this long. */
const SOLO_MS = 30_000;

/**
 * Sends the copy's chunks through one kafkajs producer, one request at a time, and puts every
 * chunk that arrives while a request is in flight into the next request together (kafkajs's
 * sendBatch: one request per broker for many partitions), as Java's producer does. With many small
 * partitions this turns hundreds of one-partition requests into a few; a lone chunk goes at once.
 *
 * One partition's trouble stays its own: kafkajs fails a whole request when one partition in it is
 * refused (the broker still appended the others) and rolls back every partition's idempotent
 * sequence, so a shared request that failed is sent again chunk by chunk, unchanged: the broker
 * recognises the batches it already appended by their sequence and answers with their offsets,
 * and only the refused chunk fails. That partition is then sent apart, beside the queue, for a
 * while, so its retries never hold up the other partitions of this producer.
 */
export class CoalescingSender {
  private pending: PendingChunk[] = [];
  private sending = false;
  /** Partitions sent apart, until the time given. */
  private readonly solo = new Map<string, number>();

  constructor(private readonly producer: () => Producer) {}

  /**
   * Resolves with the base offset the target gave the chunk, or NaN when the producer's metadata
   * did not know the partition (kafkajs then drops its records without an error). At most one
   * chunk per partition may wait or be in flight (the copy loop keeps that); a second one waits
   * for the next request.
   */
  send(topic: string, partition: number, messages: Message[], bytes: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const chunk = { topic, partition, messages, bytes, resolve, reject };
      const soloUntil = this.solo.get(chunkKey(chunk));
      if (soloUntil !== undefined && soloUntil > Date.now()) {
        void this.sendOne([chunk]);
        return;
      }
      this.pending.push(chunk);
      if (!this.sending) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.sending = true;
    try {
      while (this.pending.length > 0) await this.sendShared(this.take());
    } finally {
      this.sending = false;
    }
  }

  /** The oldest waiting chunks up to MAX_REQUEST_BYTES (at least one), one per partition. */
  private take(): PendingChunk[] {
    const taken: PendingChunk[] = [];
    const kept: PendingChunk[] = [];
    const partitions = new Set<string>();
    let bytes = 0;
    for (const c of this.pending) {
      const key = chunkKey(c);
      const fits = taken.length === 0 || bytes + c.bytes <= MAX_REQUEST_BYTES;
      if (fits && !partitions.has(key)) {
        taken.push(c);
        partitions.add(key);
        bytes += c.bytes;
      } else kept.push(c);
    }
    this.pending = kept;
    return taken;
  }

  private async sendShared(chunks: PendingChunk[]): Promise<void> {
    if (chunks.length === 1) return this.sendOne([chunks[0]!]);
    try {
      const offsets = await this.request(chunks);
      for (const c of chunks) c.resolve(offsets.get(chunkKey(c)) ?? Number.NaN);
    } catch {
      for (const c of chunks) await this.sendOne([c]);
    }
  }

  private async sendOne(chunks: [PendingChunk]): Promise<void> {
    const [c] = chunks;
    try {
      const offsets = await this.request(chunks);
      c.resolve(offsets.get(chunkKey(c)) ?? Number.NaN);
    } catch (error) {
      this.solo.set(chunkKey(c), Date.now() + SOLO_MS);
      c.reject(error);
    }
  }

  /** One Produce request per broker for `chunks`; the base offset per partition. */
  private async request(chunks: PendingChunk[]): Promise<Map<string, number>> {
    const byTopic = new Map<string, PartitionedMessages>();
    for (const c of chunks) {
      let messages = byTopic.get(c.topic);
      if (messages === undefined) {
        messages = new PartitionedMessages();
        byTopic.set(c.topic, messages);
      }
      for (const m of c.messages) messages.push(m);
    }
    const topicMessages: TopicMessages[] = [];
    for (const [topic, messages] of byTopic) topicMessages.push({ topic, messages });
    const results = await this.producer().sendBatch({ acks: -1, topicMessages });
    const offsets = new Map<string, number>();
    for (const r of results) offsets.set(`${r.topicName}\u0000${r.partition}`, Number(r.baseOffset));
    return offsets;
  }
}

function chunkKey(c: { topic: string; partition: number }): string {
  return `${c.topic}\u0000${c.partition}`;
}
