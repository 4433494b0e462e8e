import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type Checkpoint,
  decodeCheckpoint,
  decodeCheckpointKey,
  decodeCheckpointValue,
  encodeCheckpointKey,
  encodeCheckpointValue,
} from "./checkpoint.ts";
import { catchMm2Error, hex, returnsOrThrowsMm2Error } from "./test-support.ts";

const example: Checkpoint = {
  consumerGroupId: "g",
  topic: "primary.t",
  partition: 3,
  upstreamOffset: 100,
  downstreamOffset: 90,
  metadata: "",
};

const text = fc.string({ unit: "binary", maxLength: 40 });
const checkpoints = fc.record({
  consumerGroupId: text,
  topic: text,
  partition: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  upstreamOffset: fc.maxSafeInteger(),
  downstreamOffset: fc.maxSafeInteger(),
  metadata: text,
});

describe("Checkpoint records", () => {
  it("encode the compatibility doc's example byte for byte", () => {
    // 00 01 "g" | 00 09 "primary.t" | 00 00 00 03
    const key = ["0001", "67", "0009", Buffer.from("primary.t").toString("hex"), "00000003"];
    expect(hex(encodeCheckpointKey(example))).toBe(key.join(""));
    // version 0 | upstream 100 | downstream 90 | metadata ""
    const value = ["0000", "0000000000000064", "000000000000005a", "0000"];
    expect(hex(encodeCheckpointValue(example))).toBe(value.join(""));
  });

  it("decode the doc's example back", () => {
    const record = { key: encodeCheckpointKey(example), value: encodeCheckpointValue(example) };
    expect(decodeCheckpoint(record)).toEqual(example);
  });

  it("round-trip any checkpoint", () => {
    fc.assert(
      fc.property(checkpoints, (checkpoint) => {
        const record = { key: encodeCheckpointKey(checkpoint), value: encodeCheckpointValue(checkpoint) };
        expect(decodeCheckpoint(record)).toEqual(checkpoint);
      }),
    );
  });

  it("allocate exactly the encoded size", () => {
    fc.assert(
      fc.property(checkpoints, (checkpoint) => {
        const value = encodeCheckpointValue(checkpoint);
        expect(value.length).toBe(2 + 8 + 8 + 2 + Buffer.byteLength(checkpoint.metadata));
      }),
    );
  });

  it("reject every truncation of a valid key or value", () => {
    fc.assert(
      fc.property(checkpoints, (checkpoint) => {
        const key = encodeCheckpointKey(checkpoint);
        const value = encodeCheckpointValue(checkpoint);
        for (let length = 0; length < key.length; length++) {
          expect(catchMm2Error(() => decodeCheckpointKey(key.subarray(0, length))).code).toBe(
            "MM2_TRUNCATED_RECORD",
          );
        }
        for (let length = 0; length < value.length; length++) {
          expect(catchMm2Error(() => decodeCheckpointValue(value.subarray(0, length))).code).toBe(
            "MM2_TRUNCATED_RECORD",
          );
        }
      }),
      { numRuns: 50 },
    );
  });

  it("decode random bytes to a checkpoint or a typed error, never anything else", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.uint8Array({ maxLength: 64 }), (key, value) => {
        returnsOrThrowsMm2Error(() => decodeCheckpoint({ key, value }));
      }),
    );
  });

  it("ignore trailing bytes, like Java's Schema.read", () => {
    const key = Buffer.concat([encodeCheckpointKey(example), Buffer.from([1, 2, 3])]);
    const value = Buffer.concat([encodeCheckpointValue(example), Buffer.from([9])]);
    expect(decodeCheckpoint({ key, value })).toEqual(example);
  });

  it("refuse value versions other than 0", () => {
    const value = encodeCheckpointValue(example);
    value.writeInt16BE(1, 0);
    const error = catchMm2Error(() => decodeCheckpointValue(value));
    expect(error.code).toBe("MM2_UNSUPPORTED_VERSION");
  });

  it("refuse tombstones", () => {
    expect(
      catchMm2Error(() => decodeCheckpoint({ key: encodeCheckpointKey(example), value: null })).code,
    ).toBe("MM2_MISSING_VALUE");
    expect(
      catchMm2Error(() => decodeCheckpoint({ key: undefined, value: encodeCheckpointValue(example) })).code,
    ).toBe("MM2_MISSING_KEY");
  });

  it("refuse to encode a partition that is not an INT32 or an unsafe offset", () => {
    expect(catchMm2Error(() => encodeCheckpointKey({ ...example, partition: 2 ** 31 })).code).toBe(
      "MM2_VALUE_OUT_OF_RANGE",
    );
    expect(catchMm2Error(() => encodeCheckpointValue({ ...example, downstreamOffset: 2 ** 60 })).code).toBe(
      "MM2_INT64_OUT_OF_RANGE",
    );
  });
});
