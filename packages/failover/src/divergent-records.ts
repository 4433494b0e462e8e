import { randomUUID } from "node:crypto";
import type { DivergentRange } from "@mirrordeck/contracts";
import { type ClusterConnection, createKafka } from "@mirrordeck/kafka";

export interface ExportedRecord {
  topic: string;
  partition: number;
  offset: number;
  timestamp: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
}

/**
 * Reads the records of one divergent range (base64 keys, values and headers), for the operator
 * to export and replay, or not, by hand. kafkajs has no assign(): a throw-away group seeks.
 */
export async function readDivergentRecords(
  cluster: ClusterConnection,
  range: DivergentRange,
  onRecord: (record: ExportedRecord) => void,
  timeoutMs = 60_000,
): Promise<number> {
  if (range.toOffset <= range.fromOffset) return 0;
  const consumer = createKafka(cluster).consumer({
    groupId: `__mirrordeck.divergent-export.${randomUUID()}`,
    maxWaitTimeInMs: 500,
    allowAutoTopicCreation: false,
  });
  let read = 0;
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [range.topic], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`reading ${range.topic}-${range.partition} timed out`)),
        timeoutMs,
      );
      consumer
        .run({
          autoCommit: false,
          eachBatch: async ({ batch }) => {
            if (batch.partition !== range.partition) return;
            for (const m of batch.messages) {
              const offset = Number(m.offset);
              if (offset < range.fromOffset) continue;
              if (offset >= range.toOffset) break;
              const headers: Record<string, string> = {};
              for (const [k, v] of Object.entries(m.headers ?? {})) {
                if (v !== undefined) headers[k] = Buffer.isBuffer(v) ? v.toString("base64") : String(v);
              }
              onRecord({
                topic: range.topic,
                partition: range.partition,
                offset,
                timestamp: new Date(Number(m.timestamp)).toISOString(),
                key: m.key === null ? null : m.key.toString("base64"),
                value: m.value === null ? null : m.value.toString("base64"),
                headers,
              });
              read++;
            }
            if (Number(batch.lastOffset()) + 1 >= range.toOffset || read >= range.records) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
      consumer.on(consumer.events.GROUP_JOIN, () => {
        consumer.seek({ topic: range.topic, partition: range.partition, offset: String(range.fromOffset) });
      });
    });
  } finally {
    await consumer.disconnect().catch(() => {});
  }
  return read;
}
