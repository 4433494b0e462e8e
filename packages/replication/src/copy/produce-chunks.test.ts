import type { KafkaMessage } from "kafkajs";
import { describe, expect, it } from "vitest";
import { toProduceChunks } from "./produce-chunks.ts";

function record(offset: number, valueBytes: number): KafkaMessage {
  const message: KafkaMessage = {
    key: Buffer.from(`k${offset}`),
    value: Buffer.alloc(valueBytes, offset % 256),
    timestamp: String(1_700_000_000_000 + offset),
    attributes: 0,
    offset: String(offset),
    headers: { h: Buffer.from("v") },
  };
  return message;
}

describe("toProduceChunks", () => {
  it("keeps key, value, headers and timestamp and targets the same partition", () => {
    const records = [record(7, 10)];
    const [chunk] = toProduceChunks(records, 4);
    expect(chunk!.messages).toEqual([
      {
        partition: 4,
        key: records[0]!.key,
        value: records[0]!.value,
        headers: records[0]!.headers,
        timestamp: records[0]!.timestamp,
      },
    ]);
    // The payload buffers are passed through, not copied.
    expect(chunk!.messages[0]!.value).toBe(records[0]!.value);
  });

  it("splits by size in order, never losing or reordering a record", () => {
    const records = Array.from({ length: 100 }, (_, i) => record(i, 10_000));
    const chunks = toProduceChunks(records, 0, 100_000);
    expect(chunks.length).toBeGreaterThan(5);
    expect(chunks.every((c) => c.bytes <= 100_000)).toBe(true);
    const flattened = chunks.flatMap((c) => c.messages.map((m) => m.timestamp));
    expect(flattened).toEqual(records.map((r) => r.timestamp));
    for (const c of chunks) expect(c.messages[0]!.timestamp).toBe(records[c.firstIndex]!.timestamp);
  });

  it("puts a record larger than the chunk limit in a chunk of its own", () => {
    const chunks = toProduceChunks([record(0, 10), record(1, 300), record(2, 10)], 0, 200);
    expect(chunks.map((c) => c.messages.length)).toEqual([1, 1, 1]);
  });
});
