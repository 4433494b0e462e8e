import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { crc32c, crc32cImplementation, crc32cJs } from "./crc32c.ts";
import { encodeProduceRequestForTest } from "./fast-produce-request.ts";

const require = createRequire(import.meta.url);
// kafkajs's own v3 encoder, loaded from its file (not through the require cache the fast one replaces).
const kafkajsV3 = require("kafkajs/src/protocol/requests/produce/v3/request.js") as (args: unknown) => {
  encode: () => Promise<{ buffer: Buffer }>;
};
const kafkajsCrc = require("kafkajs/src/protocol/recordBatch/crc32C/index.js") as (b: Buffer) => number;
const Long = require("kafkajs/src/utils/long.js") as { fromValue: (v: string) => { toString(): string } };

const bytes = fc.option(
  fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
  { nil: null },
);
const message = fc.record({
  key: bytes,
  value: bytes,
  headers: fc.dictionary(
    fc.string({ minLength: 1, maxLength: 12 }),
    fc.oneof(
      fc.uint8Array({ maxLength: 40 }).map((a) => Buffer.from(a)),
      fc.string({ maxLength: 20 }),
      fc.array(
        fc.uint8Array({ maxLength: 8 }).map((a) => Buffer.from(a)),
        { minLength: 1, maxLength: 3 },
      ),
    ),
    { maxKeys: 3 },
  ),
  // Sorted per batch below: kafkajs orders timestamps as strings, equal to numbers at equal lengths.
  timestamp: fc.integer({ min: 1_600_000_000_000, max: 1_900_000_000_000 }).map(String),
});

describe("fast produce request encoder", () => {
  it("computes CRC32C like kafkajs (and the standard check value)", () => {
    expect(crc32cImplementation()).toBe("native"); // this platform has @node-rs/crc32's binary
    for (const f of [crc32c, crc32cJs]) {
      expect(f(Buffer.from("123456789"))).toBe(0xe3069283);
      for (const n of [0, 1, 7, 8, 9, 63, 64, 65, 4099]) {
        const b = randomBytes(n);
        expect(f(b)).toBe(kafkajsCrc(b));
      }
    }
  });

  it("encodes byte for byte what kafkajs encodes", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(message, { minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 3 }),
        fc.option(fc.string({ minLength: 1, maxLength: 10 }), { nil: null }),
        async (partitions, transactionalId) => {
          const args = {
            acks: -1,
            timeout: 30_000,
            transactionalId,
            producerId: Long.fromValue("4242"),
            producerEpoch: 3,
            compression: 0,
            topicData: [
              {
                topic: "east.orders",
                partitions: partitions.map((messages, i) => ({
                  partition: i,
                  firstSequence: 7 * i,
                  messages: [...messages].sort((a, b) => Number(a.timestamp) - Number(b.timestamp)),
                })),
              },
            ],
          };
          const theirs = (await kafkajsV3(args).encode()).buffer;
          expect(encodeProduceRequestForTest(args).equals(theirs)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("keeps timestamps months apart (deltas beyond 32 bits)", async () => {
    const args = {
      acks: -1,
      timeout: 1000,
      producerId: Long.fromValue("-1"),
      producerEpoch: 0,
      compression: 0,
      topicData: [
        {
          topic: "t",
          partitions: [
            {
              partition: 0,
              messages: [
                { key: null, value: Buffer.from("old"), timestamp: "1000000000000" },
                { key: null, value: Buffer.from("new"), timestamp: "1800000000000" },
              ],
            },
          ],
        },
      ],
    };
    const theirs = (await kafkajsV3(args).encode()).buffer;
    expect(encodeProduceRequestForTest(args).equals(theirs)).toBe(true);
  });
});
