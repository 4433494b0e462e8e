import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decodeOffsetSync,
  decodeOffsetSyncKey,
  decodeOffsetSyncValue,
  encodeOffsetSyncKey,
  encodeOffsetSyncValue,
} from "./offset-sync.ts";
import { catchMm2Error, hex, returnsOrThrowsMm2Error } from "./test-support.ts";

const syncs = fc.record({
  topic: fc.string({ unit: "binary", maxLength: 40 }),
  partition: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  upstreamOffset: fc.maxSafeInteger(),
  downstreamOffset: fc.maxSafeInteger(),
});

describe("OffsetSync records", () => {
  it("encode key topic+partition and a value of two INT64s without a version", () => {
    const sync = { topic: "t", partition: 1, upstreamOffset: 100, downstreamOffset: 200 };
    expect(hex(encodeOffsetSyncKey(sync))).toBe("00017400000001");
    expect(hex(encodeOffsetSyncValue(sync))).toBe("000000000000006400000000000000c8");
  });

  it("round-trip any sync", () => {
    fc.assert(
      fc.property(syncs, (sync) => {
        expect(
          decodeOffsetSync({ key: encodeOffsetSyncKey(sync), value: encodeOffsetSyncValue(sync) }),
        ).toEqual(sync);
      }),
    );
  });

  it("reject every truncation", () => {
    fc.assert(
      fc.property(syncs, (sync) => {
        const key = encodeOffsetSyncKey(sync);
        const value = encodeOffsetSyncValue(sync);
        for (let length = 0; length < key.length; length++) {
          expect(catchMm2Error(() => decodeOffsetSyncKey(key.subarray(0, length))).code).toBe(
            "MM2_TRUNCATED_RECORD",
          );
        }
        for (let length = 0; length < value.length; length++) {
          expect(catchMm2Error(() => decodeOffsetSyncValue(value.subarray(0, length))).code).toBe(
            "MM2_TRUNCATED_RECORD",
          );
        }
      }),
      { numRuns: 50 },
    );
  });

  it("decode random bytes to a sync or a typed error", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ maxLength: 20 }), (key, value) => {
        returnsOrThrowsMm2Error(() => decodeOffsetSync({ key, value }));
      }),
    );
  });

  it("read the value's first field as the upstream offset (no version prefix)", () => {
    expect(decodeOffsetSyncValue(Buffer.from("00000000000000070000000000000009ff", "hex"))).toEqual({
      upstreamOffset: 7,
      downstreamOffset: 9,
    });
  });
});
