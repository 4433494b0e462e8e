// Integration test of the local stack's Kafka clusters: a real produce/consume round trip on each of
// east and west (the integration project's globalSetup brings the stack up).
import { randomUUID } from "node:crypto";
import { type IHeaders, Kafka, logLevel, Partitioners } from "kafkajs";
import { describe, expect, it } from "vitest";
import { loadStackConfig } from "./stack-config.ts";

const RECORDS = 1_000;
const PARTITIONS = 3;
const KEYS = 37;
const CONSUME_TIMEOUT_MS = 20_000;

interface TestRecord {
  key: string;
  value: string;
  headers: Record<string, string>;
}

interface ConsumedRecord extends TestRecord {
  partition: number;
  offset: string;
}

function expectedRecords(runId: string): TestRecord[] {
  return Array.from({ length: RECORDS }, (_, index) => {
    const key = `key-${index % KEYS}`;
    const seq = Math.floor(index / KEYS);
    return {
      key,
      value: JSON.stringify({ index, key, seq, runId, payload: "é✓".repeat(index % 17) }),
      headers: {
        "x-index": String(index),
        "x-key": key,
        "x-seq": String(seq),
        "content-type": "application/json",
      },
    };
  });
}

function decodeHeaders(headers: IHeaders | undefined): Record<string, string> {
  const decoded: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    decoded[name] = (Array.isArray(value) ? value : [value]).map((v) => v.toString()).join(",");
  }
  return decoded;
}

/** Kafka's Utils.murmur2 (Java), written independently of kafkajs to check key placement. */
function javaMurmur2(data: Buffer): number {
  const m = 0x5bd1e995;
  const r = 24;
  let h = (0x9747b28c ^ data.length) | 0;
  const whole = data.length & ~3;
  for (let i = 0; i < whole; i += 4) {
    let k = data.readInt32LE(i);
    k = Math.imul(k, m);
    k ^= k >>> r;
    k = Math.imul(k, m);
    h = Math.imul(h, m) ^ k;
  }
  const rest = data.length & 3;
  if (rest === 3) h ^= (data[whole + 2] ?? 0) << 16;
  if (rest >= 2) h ^= (data[whole + 1] ?? 0) << 8;
  if (rest >= 1) {
    h ^= data[whole] ?? 0;
    h = Math.imul(h, m);
  }
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h | 0;
}

function javaPartitionFor(key: string, partitions: number): number {
  return (javaMurmur2(Buffer.from(key, "utf8")) & 0x7fffffff) % partitions;
}

const { clusters } = loadStackConfig();

describe.each(clusters)("$alias Kafka cluster ($bootstrap)", (cluster) => {
  it(`round-trips ${RECORDS} keyed records with headers, preserving per-key order`, async () => {
    const runId = randomUUID().slice(0, 8);
    const topic = `stack-int-${cluster.alias}-${runId}`;
    const groupId = `stack-int-${cluster.alias}-${runId}`;
    const kafka = new Kafka({
      clientId: `stack-int-${cluster.alias}`,
      brokers: [cluster.bootstrap],
      logLevel: logLevel.NOTHING,
    });
    const admin = kafka.admin();
    const producer = kafka.producer({
      createPartitioner: Partitioners.JavaCompatiblePartitioner,
      idempotent: true,
      maxInFlightRequests: 1,
    });
    const consumer = kafka.consumer({ groupId });
    const expected = expectedRecords(runId);
    try {
      await admin.connect();
      const created = await admin.createTopics({
        topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 1 }],
        waitForLeaders: true,
      });
      expect(created).toBe(true);

      await producer.connect();
      for (let start = 0; start < RECORDS; start += 250) {
        await producer.send({
          topic,
          acks: -1,
          messages: expected
            .slice(start, start + 250)
            .map(({ key, value, headers }) => ({ key, value, headers })),
        });
      }

      const consumed: ConsumedRecord[] = [];
      let allConsumed: () => void = () => undefined;
      const done = new Promise<void>((resolve) => {
        allConsumed = resolve;
      });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ partition, message }) => {
          consumed.push({
            partition,
            offset: message.offset,
            key: message.key?.toString("utf8") ?? "",
            value: message.value?.toString("utf8") ?? "",
            headers: decodeHeaders(message.headers),
          });
          if (consumed.length >= RECORDS) allConsumed();
        },
      });
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        done,
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, CONSUME_TIMEOUT_MS);
        }),
      ]);
      clearTimeout(timer);
      await consumer.stop();

      // Exactly the records in the log: as many as the high watermarks add up to, no offset twice.
      const offsets = await admin.fetchTopicOffsets(topic);
      expect(offsets).toHaveLength(PARTITIONS);
      expect(offsets.reduce((sum, p) => sum + Number(p.high), 0)).toBe(RECORDS);
      expect(consumed).toHaveLength(RECORDS);
      expect(new Set(consumed.map((r) => `${r.partition}/${r.offset}`)).size).toBe(RECORDS);

      // Every record intact: key, value and headers equal to what was produced.
      const byIndex = new Map(consumed.map((r) => [Number(r.headers["x-index"]), r]));
      expect(byIndex.size).toBe(RECORDS);
      for (const [index, record] of expected.entries()) {
        const got = byIndex.get(index);
        expect(got, `record ${index}`).toBeDefined();
        expect({ key: got?.key, value: got?.value, headers: got?.headers }).toEqual(record);
      }

      // Per key: one partition, the one Java's default partitioner picks, and production order.
      const partitionsUsed = new Set<number>();
      for (let k = 0; k < KEYS; k++) {
        const key = `key-${k}`;
        const ofKey = consumed.filter((r) => r.key === key);
        const partitions = new Set(ofKey.map((r) => r.partition));
        expect([...partitions], `partitions of ${key}`).toEqual([javaPartitionFor(key, PARTITIONS)]);
        partitionsUsed.add(ofKey[0]?.partition ?? -1);
        const seqs = ofKey.map((r) => Number(r.headers["x-seq"]));
        expect(seqs, `order of ${key}`).toEqual(seqs.map((_, i) => i));
        const produced = expected.filter((r) => r.key === key).length;
        expect(ofKey, `records of ${key}`).toHaveLength(produced);
      }
      expect(partitionsUsed.size).toBe(PARTITIONS);
    } finally {
      await consumer.disconnect().catch(() => undefined);
      await producer.disconnect().catch(() => undefined);
      await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
      await admin.deleteGroups([groupId]).catch(() => undefined);
      await admin.disconnect().catch(() => undefined);
    }
  });
});
