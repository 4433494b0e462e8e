import { createRequire } from "node:module";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encodeProduceRequestForTest } from "./fast-produce-request.ts";
import { decodeRecordBatchForTest, LazyRecord } from "./lazy-record-batch.ts";

const require = createRequire(import.meta.url);
// kafkajs's own batch encoder and decoder, loaded from their files (not through the require cache).
const Long = require("kafkajs/src/utils/long.js") as { fromValue: (v: string | number) => unknown };
const { RecordBatch } = require("kafkajs/src/protocol/recordBatch/v0/index.js") as {
  RecordBatch: (args: unknown) => Promise<{ buffer: Buffer }>;
};
const Record = require("kafkajs/src/protocol/recordBatch/record/v0/index.js") as (args: unknown) => unknown;
const Decoder = require("kafkajs/src/protocol/decoder.js") as new (b: Buffer) => unknown;
const kafkajsDecode = require("kafkajs/src/protocol/recordBatch/v0/decoder.js") as (d: unknown) => Promise<{
  records: Record<string, unknown>[];
}>;
const { Types: Compression } = require("kafkajs/src/protocol/message/compression/index.js") as {
  Types: { None: number; GZIP: number };
};

const ATTRIBUTES_AT = 8 + 4 + 4 + 1 + 4; // base offset, length, leader epoch, magic, CRC
const bytes = fc.option(
  fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a)),
  { nil: null },
);
const record = fc.record({
  key: bytes,
  value: bytes,
  headers: fc.dictionary(
    // kafkajs folds names such as "constructor" wrongly (see the test of them below).
    fc.string({ minLength: 1, maxLength: 12 }).filter((name) => !(name in Object.prototype)),
    fc.oneof(
      fc.uint8Array({ maxLength: 40 }).map((a) => Buffer.from(a)),
      fc.array(
        fc.uint8Array({ maxLength: 8 }).map((a) => Buffer.from(a)),
        { minLength: 2, maxLength: 3 },
      ),
    ),
    { maxKeys: 3 },
  ),
  // Deltas past ±2^27 ms take the decoder's BigInt path.
  timestampDelta: fc.oneof(fc.integer({ min: 0, max: 5_000 }), fc.integer({ min: 0, max: 2 ** 40 })),
  offsetGap: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 100_000 })),
});
const batch = fc.record({
  records: fc.array(record, { minLength: 1, maxLength: 10 }),
  firstOffset: fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 2 ** 50 })),
  firstTimestamp: fc.integer({ min: 1_600_000_000_000, max: 1_900_000_000_000 }),
  compression: fc.constantFrom(Compression.None, Compression.GZIP),
  /** Extra attribute bits: log-append time, transactional, control. */
  flags: fc.constantFrom(0, 0x8, 0x10, 0x30),
});

async function encodeBatch(b: BatchInput): Promise<Buffer> {
  let offsetDelta = 0;
  const records = b.records.map((r, i) => {
    if (i > 0) offsetDelta += 1 + r.offsetGap;
    return Record({
      offsetDelta,
      timestampDelta: r.timestampDelta,
      key: r.key,
      value: r.value,
      headers: r.headers,
    });
  });
  const maxDelta = Math.max(...b.records.map((r) => r.timestampDelta));
  const encoded = await RecordBatch({
    compression: b.compression,
    firstOffset: Long.fromValue(b.firstOffset),
    firstTimestamp: b.firstTimestamp,
    maxTimestamp: b.firstTimestamp + maxDelta,
    lastOffsetDelta: offsetDelta,
    producerId: Long.fromValue(77),
    producerEpoch: 2,
    firstSequence: 5,
    records,
  });
  const buffer = Buffer.from(encoded.buffer);
  buffer.writeInt16BE(buffer.readInt16BE(ATTRIBUTES_AT) | b.flags, ATTRIBUTES_AT);
  return buffer;
}
type BatchInput = {
  records: {
    key: Buffer | null;
    value: Buffer | null;
    headers: Record<string, Buffer | Buffer[]>;
    timestampDelta: number;
    offsetGap: number;
  }[];
  firstOffset: number;
  firstTimestamp: number;
  compression: number;
  flags: number;
};

/** A record as a reader sees it: every field kafkajs gives, read through the public properties. */
function view(r: Record<string, unknown>) {
  return {
    magicByte: r.magicByte,
    attributes: r.attributes,
    timestamp: r.timestamp,
    offset: r.offset,
    key: r.key,
    value: r.value,
    headers: r.headers,
    isControlRecord: r.isControlRecord,
    batchContext: r.batchContext,
  };
}

describe("lazy record batch decoder", () => {
  it("gives every reader the records kafkajs's own decoder gives", async () => {
    await fc.assert(
      fc.asyncProperty(batch, async (input) => {
        const buffer = await encodeBatch(input as BatchInput);
        const theirs = await kafkajsDecode(new Decoder(buffer));
        const ours = (await decodeRecordBatchForTest(buffer)) as unknown as typeof theirs;
        const { records: theirRecords, ...theirHeader } = theirs;
        const { records: ourRecords, ...ourHeader } = ours;
        expect(ourHeader).toEqual(theirHeader);
        expect(ourRecords.length).toBe(theirRecords.length);
        for (let i = 0; i < ourRecords.length; i++) {
          expect(ourRecords[i]).toBeInstanceOf(LazyRecord);
          expect(view(ourRecords[i]!)).toEqual(view(theirRecords[i]!));
        }
      }),
      { numRuns: 300 },
    );
  });

  it("reads header names that objects inherit as the plain names they are", async () => {
    const buffer = await encodeBatch({
      records: [
        {
          key: null,
          value: Buffer.from("v"),
          headers: { constructor: Buffer.from("a"), toString: [Buffer.from("b"), Buffer.from("c")] },
          timestampDelta: 0,
          offsetGap: 0,
        },
      ],
      firstOffset: 0,
      firstTimestamp: 1_700_000_000_000,
      compression: Compression.None,
      flags: 0,
    });
    const { records } = (await decodeRecordBatchForTest(buffer)) as { records: LazyRecord[] };
    expect(records[0]!.headers).toEqual({
      constructor: Buffer.from("a"),
      toString: [Buffer.from("b"), Buffer.from("c")],
    });
  });

  it("forwards records into produce requests byte for byte as if they were decoded and re-encoded", async () => {
    await fc.assert(
      fc.asyncProperty(batch, async (input) => {
        const buffer = await encodeBatch({ ...(input as BatchInput), flags: 0 });
        const { records } = (await decodeRecordBatchForTest(buffer)) as { records: LazyRecord[] };
        const request = (messages: unknown[]) => ({
          acks: -1,
          timeout: 30_000,
          producerId: Long.fromValue("4242"),
          producerEpoch: 3,
          compression: 0,
          topicData: [{ topic: "east.orders", partitions: [{ partition: 3, firstSequence: 9, messages }] }],
        });
        const forwarded = records.map((r) => ({ partition: 3, value: r }));
        const decoded = records.map((r) => ({
          key: r.key,
          value: r.value,
          headers: r.headers,
          timestamp: r.timestamp,
        }));
        const a = encodeProduceRequestForTest(request(forwarded) as never);
        const b = encodeProduceRequestForTest(request(decoded) as never);
        expect(a.equals(b)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
