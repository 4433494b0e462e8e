// Test helpers: produce known keyed records with headers, read topics back completely, and
// fingerprint each partition so that two topics can be compared record for record.
import { createHash, randomBytes } from "node:crypto";
import { type IHeaders, Kafka, type KafkaMessage, logLevel, Partitioners } from "kafkajs";

export const eastBootstrap = `127.0.0.1:${process.env.EAST_KAFKA_PORT ?? 19092}`;
export const westBootstrap = `127.0.0.1:${process.env.WEST_KAFKA_PORT ?? 29092}`;

export function kafkaFor(bootstrap: string): Kafka {
  return new Kafka({ clientId: "mirrordeck-test", brokers: [bootstrap], logLevel: logLevel.NOTHING });
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${randomBytes(3).toString("hex")}`;
}

export async function createTopic(
  bootstrap: string,
  topic: string,
  partitions: number,
  configs: Record<string, string> = {},
) {
  const admin = kafkaFor(bootstrap).admin();
  await admin.connect();
  try {
    await admin.createTopics({
      topics: [
        {
          topic,
          numPartitions: partitions,
          replicationFactor: 1,
          configEntries: Object.entries(configs).map(([name, value]) => ({ name, value })),
        },
      ],
      // kafkajs's own wait gives up on UNKNOWN_TOPIC_OR_PARTITION from a broker that has just
      // started (its metadata lags the creation): wait for the leaders here instead.
      waitForLeaders: false,
    });
    await waitFor(
      async () => {
        const { topics } = await admin.fetchTopicMetadata({ topics: [topic] }).catch(() => ({ topics: [] }));
        const found = topics[0]?.partitions ?? [];
        return found.length === partitions && found.every((p) => p.leader >= 0);
      },
      60_000,
      `${topic}'s partitions to have leaders on ${bootstrap}`,
    );
  } finally {
    await admin.disconnect();
  }
}

export async function deleteTopics(bootstrap: string, topics: string[]): Promise<void> {
  const admin = kafkaFor(bootstrap).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const present = topics.filter((t) => existing.has(t));
    if (present.length > 0) await admin.deleteTopics({ topics: present });
  } catch {
    // best effort: tests use unique names
  } finally {
    await admin.disconnect();
  }
}

/** Produces `count` keyed records with two headers each, in batches, keys placed as Java would. */
export async function produceKeyed(
  bootstrap: string,
  topic: string,
  count: number,
  options: { startIndex?: number; batch?: number; valueBytes?: number; fixedTimestamps?: boolean } = {},
): Promise<void> {
  // Idempotent: a send retried after a lost acknowledgement (a busy broker) must not write its
  // records twice, or the source holds more than a test counts as produced.
  const producer = kafkaFor(bootstrap).producer({
    createPartitioner: Partitioners.JavaCompatiblePartitioner,
    idempotent: true,
    maxInFlightRequests: 1,
    // kafkajs retries an idempotent send forever by default: a lasting error must fail the test.
    retry: { retries: 10 },
  });
  await producer.connect();
  const start = options.startIndex ?? 0;
  const batch = options.batch ?? 500;
  try {
    for (let i = start; i < start + count; i += batch) {
      const n = Math.min(batch, start + count - i);
      await producer.send({
        topic,
        acks: -1,
        messages: Array.from({ length: n }, (_, j) => {
          const index = i + j;
          return {
            key: `key-${index % 101}`,
            value: `${index}:${randomBytes(Math.max(8, (options.valueBytes ?? 64) - 8)).toString("base64")}`,
            headers: { "x-index": String(index), "x-bin": randomBytes(4) },
            // Live timestamps by default: records dated in the past would fall to the brokers'
            // 24 h retention mid-test. Fixed ones are for reproducible digests across runs.
            ...(options.fixedTimestamps && { timestamp: String(1_700_000_000_000 + index) }),
          };
        }),
      });
    }
  } finally {
    await producer.disconnect();
  }
}

export interface ReadRecord {
  partition: number;
  offset: number;
  key: Buffer | null;
  value: Buffer | null;
  timestamp: string;
  headers: IHeaders;
}

/** Reads every record of a topic until `expected` arrived (or the deadline passes). */
export async function readAll(
  bootstrap: string,
  topic: string,
  expected: number,
  timeoutMs = 60_000,
): Promise<ReadRecord[]> {
  const consumer = kafkaFor(bootstrap).consumer({ groupId: uniqueName("reader"), maxWaitTimeInMs: 200 });
  const records: ReadRecord[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const done = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    void consumer.run({
      eachBatch: async ({ batch }) => {
        for (const m of batch.messages as KafkaMessage[]) {
          records.push({
            partition: batch.partition,
            offset: Number(m.offset),
            key: m.key,
            value: m.value,
            timestamp: m.timestamp,
            headers: m.headers ?? {},
          });
        }
        if (records.length >= expected) {
          clearTimeout(timer);
          resolve();
        }
      },
    });
  });
  await done;
  await consumer.disconnect();
  if (records.length < expected) {
    throw new Error(
      `read ${records.length} of ${expected} records from ${topic} on ${bootstrap} in ${timeoutMs} ms`,
    );
  }
  return records.sort((a, b) => a.partition - b.partition || a.offset - b.offset);
}

/** sha256 per partition over key, value, headers and timestamp of each record, in offset order. */
export function partitionDigests(records: ReadRecord[]): Map<number, { count: number; digest: string }> {
  const hashes = new Map<number, { count: number; hash: ReturnType<typeof createHash> }>();
  for (const r of records) {
    let entry = hashes.get(r.partition);
    if (!entry) {
      entry = { count: 0, hash: createHash("sha256") };
      hashes.set(r.partition, entry);
    }
    entry.count += 1;
    const h = entry.hash;
    h.update(`|k${r.key?.length ?? -1}:`).update(r.key ?? Buffer.alloc(0));
    h.update(`|v${r.value?.length ?? -1}:`).update(r.value ?? Buffer.alloc(0));
    h.update(`|t${r.timestamp}`);
    for (const [name, value] of Object.entries(r.headers)) {
      for (const v of Array.isArray(value) ? value : [value])
        h.update(`|h${name}=`).update(v ?? Buffer.alloc(0));
    }
  }
  return new Map([...hashes].map(([p, e]) => [p, { count: e.count, digest: e.hash.digest("hex") }]));
}

/** Sum of log-end offsets of a topic (records present, for topics without compaction or deletes). */
export async function topicEndOffsets(bootstrap: string, topic: string): Promise<number[]> {
  const admin = kafkaFor(bootstrap).admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.sort((a, b) => a.partition - b.partition).map((o) => Number(o.high));
  } catch {
    return [];
  } finally {
    await admin.disconnect();
  }
}

export async function waitFor(
  condition: () => Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (await condition()) return Date.now() - started;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
