import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decodeHeartbeat,
  decodeHeartbeatKey,
  decodeHeartbeatValue,
  encodeHeartbeatKey,
  encodeHeartbeatValue,
  type Heartbeat,
} from "./heartbeat.ts";
import { catchMm2Error, hex, returnsOrThrowsMm2Error } from "./test-support.ts";

const heartbeats = fc.record({
  sourceClusterAlias: fc.string({ unit: "binary", maxLength: 30 }),
  targetClusterAlias: fc.string({ unit: "binary", maxLength: 30 }),
  timestamp: fc.maxSafeInteger(),
});

describe("Heartbeat records", () => {
  const heartbeat: Heartbeat = {
    sourceClusterAlias: "A",
    targetClusterAlias: "B",
    timestamp: 1_700_000_000_000,
  };

  it("encode the key as two STRINGs and the value as version 0 + INT64 timestamp", () => {
    expect(hex(encodeHeartbeatKey(heartbeat))).toBe("000141000142");
    expect(hex(encodeHeartbeatValue(heartbeat))).toBe(
      `0000${(1_700_000_000_000).toString(16).padStart(16, "0")}`,
    );
  });

  it("round-trip any heartbeat", () => {
    fc.assert(
      fc.property(heartbeats, (value) => {
        expect(
          decodeHeartbeat({ key: encodeHeartbeatKey(value), value: encodeHeartbeatValue(value) }),
        ).toEqual(value);
      }),
    );
  });

  it("reject every truncation", () => {
    fc.assert(
      fc.property(heartbeats, (value) => {
        const key = encodeHeartbeatKey(value);
        const encoded = encodeHeartbeatValue(value);
        for (let length = 0; length < key.length; length++) {
          expect(catchMm2Error(() => decodeHeartbeatKey(key.subarray(0, length))).code).toBe(
            "MM2_TRUNCATED_RECORD",
          );
        }
        for (let length = 0; length < encoded.length; length++) {
          expect(catchMm2Error(() => decodeHeartbeatValue(encoded.subarray(0, length))).code).toBe(
            "MM2_TRUNCATED_RECORD",
          );
        }
      }),
      { numRuns: 50 },
    );
  });

  it("decode random bytes to a heartbeat or a typed error", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ maxLength: 20 }), (key, value) => {
        returnsOrThrowsMm2Error(() => decodeHeartbeat({ key, value }));
      }),
    );
  });

  it("refuse an unknown value version", () => {
    const value = encodeHeartbeatValue(heartbeat);
    value.writeInt16BE(-1, 0);
    expect(catchMm2Error(() => decodeHeartbeatValue(value)).code).toBe("MM2_UNSUPPORTED_VERSION");
  });

  it("ignore trailing bytes", () => {
    const key = Buffer.concat([encodeHeartbeatKey(heartbeat), Buffer.from([0])]);
    expect(decodeHeartbeatKey(key)).toEqual({ sourceClusterAlias: "A", targetClusterAlias: "B" });
  });
});
