import { randomUUID } from "node:crypto";
import type { Kafka, KafkaMessage } from "kafkajs";

export interface ReadTopicToEndOptions {
  /** Give up after this long (ms); default 60 s. */
  timeoutMs?: number;
  /** Prefix of the throw-away consumer group (kafkajs consumers are group-only). */
  groupPrefix?: string;
}

/**
 * Reads every record of `topic` up to the end offsets captured at the start, in offset order per
 * partition, then leaves. kafkajs has no `assign()`, so a throw-away consumer group is used (it
 * never commits) and deleted afterwards. Returns the number of records read.
 */
export async function readTopicToEnd(
  kafka: Kafka,
  topic: string,
  onRecord: (record: KafkaMessage, partition: number) => void,
  options: ReadTopicToEndOptions = {},
): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  const groupId = `${options.groupPrefix ?? "__mirrordeck.reader"}.${randomUUID()}`;
  let consumer: ReturnType<Kafka["consumer"]> | undefined;
  try {
    const ends = new Map<number, number>();
    for (const o of await admin.fetchTopicOffsets(topic)) {
      if (Number(o.high) > Number(o.low)) ends.set(o.partition, Number(o.high));
    }
    if (ends.size === 0) return 0;
    let read = 0;
    const pending = new Set(ends.keys());
    consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 200, allowAutoTopicCreation: false });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    const done = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(new Error(`reading ${topic} to its end took longer than ${options.timeoutMs ?? 60_000} ms`)),
        options.timeoutMs ?? 60_000,
      );
      timer.unref?.();
      consumer!
        .run({
          autoCommit: false,
          eachBatch: async ({ batch }) => {
            const end = ends.get(batch.partition);
            if (end === undefined) return;
            for (const message of batch.messages) {
              if (Number(message.offset) >= end) break;
              onRecord(message, batch.partition);
              read++;
            }
            // lastOffset() counts control records and filtered ones too, so a partition ending in a
            // transaction marker still completes.
            if (Number(batch.lastOffset()) + 1 >= end) pending.delete(batch.partition);
            if (pending.size === 0) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
    await done;
    return read;
  } finally {
    await consumer?.disconnect().catch(() => {});
    await admin.deleteGroups([groupId]).catch(() => {});
    await admin.disconnect().catch(() => {});
  }
}
