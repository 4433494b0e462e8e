import { randomUUID } from "node:crypto";
import type { Kafka, KafkaMessage } from "kafkajs";

const IDLE_MS = 2_000;
const TRAILING_MARKERS = 2;

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
    /** Per partition, the offset reading has reached. */
    const reached = new Map<number, number>();
    for (const o of await admin.fetchTopicOffsets(topic)) {
      if (Number(o.high) > Number(o.low)) {
        ends.set(o.partition, Number(o.high));
        reached.set(o.partition, Number(o.low));
      }
    }
    if (ends.size === 0) return 0;
    let read = 0;
    const pending = new Set(ends.keys());
    consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 200, allowAutoTopicCreation: false });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    // Set by the first batch: the group join before it can take seconds.
    let lastBatchAt: number | null = null;
    let watchdog: NodeJS.Timeout | undefined;
    const done = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(new Error(`reading ${topic} to its end took longer than ${options.timeoutMs ?? 60_000} ms`)),
        options.timeoutMs ?? 60_000,
      );
      timer.unref?.();
      /*
       * kafkajs never hands eachBatch a batch made only of control records (transaction markers)
       * or aborted records; such batches still end as processed batches (below). A fetch that
       * returns nothing past a last marker leaves the watchdog: a partition at most
       * TRAILING_MARKERS short of its end, with nothing fetched for IDLE_MS, has been read.
       */
      const finishIfRead = () => {
        if (pending.size > 0) return;
        clearTimeout(timer);
        resolve();
      };
      const reach = (partition: number, next: number) => {
        const end = ends.get(partition);
        if (end === undefined) return;
        if (next > reached.get(partition)!) reached.set(partition, next);
        if (next >= end) pending.delete(partition);
      };
      watchdog = setInterval(() => {
        if (lastBatchAt === null || Date.now() - lastBatchAt < IDLE_MS) return;
        for (const partition of pending) {
          if (ends.get(partition)! - reached.get(partition)! <= TRAILING_MARKERS) pending.delete(partition);
        }
        finishIfRead();
      }, 250);
      watchdog.unref?.();
      // A batch of only aborted records or markers skips eachBatch but still ends as a processed
      // batch: its last offset counts as read, so a topic ending in an aborted transaction (a
      // fenced writer's) is read to its end at once instead of by the watchdog.
      consumer!.on(consumer!.events.END_BATCH_PROCESS, ({ payload }) => {
        if (payload.topic !== topic) return;
        lastBatchAt = Date.now();
        reach(payload.partition, Number(payload.lastOffset) + 1);
        finishIfRead();
      });
      consumer!
        .run({
          autoCommit: false,
          eachBatch: async ({ batch }) => {
            lastBatchAt = Date.now();
            const end = ends.get(batch.partition);
            if (end === undefined) return;
            for (const message of batch.messages) {
              if (Number(message.offset) >= end) break;
              onRecord(message, batch.partition);
              read++;
            }
            reach(batch.partition, Number(batch.lastOffset()) + 1);
            finishIfRead();
          },
        })
        .catch(reject);
    });
    await done.finally(() => clearInterval(watchdog));
    return read;
  } finally {
    await consumer?.disconnect().catch(() => {});
    await admin.deleteGroups([groupId]).catch(() => {});
    await admin.disconnect().catch(() => {});
  }
}
