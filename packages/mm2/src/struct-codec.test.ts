import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Mm2FormatError } from "./mm2-error.ts";
import {
  MAX_STRING_BYTES,
  StructReader,
  stringSize,
  writeInt16,
  writeInt32,
  writeInt64,
  writeString,
} from "./struct-codec.ts";
import { catchMm2Error, hex } from "./test-support.ts";

function int64Bytes(value: number): Buffer {
  const buf = Buffer.alloc(8);
  writeInt64(buf, 0, value, "v");
  return buf;
}

describe("INT64", () => {
  it("is written big-endian in two's complement", () => {
    expect(hex(int64Bytes(0))).toBe("0000000000000000");
    expect(hex(int64Bytes(100))).toBe("0000000000000064");
    expect(hex(int64Bytes(-1))).toBe("ffffffffffffffff");
    expect(hex(int64Bytes(2 ** 32))).toBe("0000000100000000");
    expect(hex(int64Bytes(-(2 ** 32)))).toBe("ffffffff00000000");
    expect(hex(int64Bytes(Number.MAX_SAFE_INTEGER))).toBe("001fffffffffffff");
    expect(hex(int64Bytes(Number.MIN_SAFE_INTEGER))).toBe("ffe0000000000001");
  });

  it("round-trips every safe integer", () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), (value) => {
        expect(new StructReader(int64Bytes(value), "t").readInt64("v")).toBe(value);
      }),
    );
  });

  it("decodes any 8 bytes to the exact value, or refuses values beyond 2^53 - 1", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 8, maxLength: 8 }), (bytes) => {
        const exact = Buffer.from(bytes).readBigInt64BE(0);
        const safe = exact >= BigInt(Number.MIN_SAFE_INTEGER) && exact <= BigInt(Number.MAX_SAFE_INTEGER);
        const read = () => new StructReader(bytes, "t").readInt64("v");
        if (safe) expect(BigInt(read())).toBe(exact);
        else expect(catchMm2Error(read).code).toBe("MM2_INT64_OUT_OF_RANGE");
      }),
    );
  });

  it("refuses to write unsafe or fractional numbers", () => {
    for (const bad of [2 ** 53, -(2 ** 53), 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(catchMm2Error(() => int64Bytes(bad)).code).toBe("MM2_INT64_OUT_OF_RANGE");
    }
  });
});

describe("INT16 and INT32", () => {
  it("are big-endian and range-checked", () => {
    const buf = Buffer.alloc(6);
    writeInt16(buf, 0, -2, "a");
    writeInt32(buf, 2, 3, "b");
    expect(hex(buf)).toBe("fffe00000003");
    expect(catchMm2Error(() => writeInt16(buf, 0, 32768, "a")).code).toBe("MM2_VALUE_OUT_OF_RANGE");
    expect(catchMm2Error(() => writeInt32(buf, 0, 2 ** 31, "b")).code).toBe("MM2_VALUE_OUT_OF_RANGE");
    expect(catchMm2Error(() => writeInt32(buf, 0, 0.5, "b")).code).toBe("MM2_VALUE_OUT_OF_RANGE");
    const reader = new StructReader(buf, "t");
    expect(reader.readInt16("a")).toBe(-2);
    expect(reader.readInt32("b")).toBe(3);
  });
});

describe("STRING", () => {
  it("is an int16 byte length followed by UTF-8", () => {
    const value = "é€";
    const buf = Buffer.alloc(stringSize(value, "s"));
    expect(writeString(buf, 0, value)).toBe(buf.length);
    expect(hex(buf)).toBe("0005c3a9e282ac");
    expect(new StructReader(buf, "t").readString("s")).toBe(value);
  });

  it("holds at most 32767 bytes of UTF-8, counted in bytes not characters", () => {
    expect(stringSize("a".repeat(MAX_STRING_BYTES), "s")).toBe(MAX_STRING_BYTES + 2);
    const error = catchMm2Error(() => stringSize("é".repeat(16384), "group"));
    expect(error.code).toBe("MM2_STRING_TOO_LONG");
    expect(error.message).toContain("group");
  });

  it("refuses unpaired surrogates, which Java and Node would encode differently", () => {
    expect(catchMm2Error(() => stringSize("a\uD800b", "s")).code).toBe("MM2_INVALID_STRING");
    expect(stringSize("😀", "s")).toBe(6);
  });

  it("rejects a negative length: STRING is never null", () => {
    const error = catchMm2Error(() =>
      new StructReader(Buffer.from("ffff", "hex"), "checkpoint key").readString("group"),
    );
    expect(error.code).toBe("MM2_NEGATIVE_STRING_LENGTH");
  });

  it("decodes malformed UTF-8 with replacement characters, as Java does", () => {
    expect(new StructReader(Buffer.from("0002c328", "hex"), "t").readString("s")).toBe("\uFFFD(");
  });
});

describe("StructReader", () => {
  it("reports a short buffer as a truncated record naming the field", () => {
    const error = catchMm2Error(() =>
      new StructReader(Buffer.from("0005616263", "hex"), "heartbeat key").readString("sourceClusterAlias"),
    );
    expect(error).toBeInstanceOf(Mm2FormatError);
    expect(error.code).toBe("MM2_TRUNCATED_RECORD");
    expect(error.message).toContain("heartbeat key");
    expect(error.message).toContain("sourceClusterAlias");
  });

  it("ignores trailing bytes", () => {
    const reader = new StructReader(Buffer.from("0001ffee", "hex"), "t");
    expect(reader.readInt16("v")).toBe(1);
    expect(reader.remaining).toBe(2);
  });

  it("reads views that do not start at the beginning of their ArrayBuffer", () => {
    const backing = Buffer.from("ffff0000002affff", "hex");
    const view = new Uint8Array(backing.buffer, backing.byteOffset + 2, 4);
    expect(new StructReader(view, "t").readInt32("v")).toBe(42);
  });
});
