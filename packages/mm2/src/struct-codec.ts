import { Mm2FormatError } from "./mm2-error.ts";

/**
 * Kafka protocol "Struct" primitives as MM2 uses them for its internal topics
 * (`org.apache.kafka.common.protocol.types.Type`): fields in order, no names or tags,
 * big-endian integers, STRING = int16 length + UTF-8 bytes, never null.
 *
 * INT64 is a JS `number` restricted to safe integers (|v| <= 2^53 - 1): Kafka offsets and
 * millisecond timestamps stay far below that, and numbers keep the hot path free of BigInt.
 * Encoding or decoding a value outside that range throws `MM2_INT64_OUT_OF_RANGE` rather
 * than silently rounding.
 */

/** Largest STRING payload in bytes (`Short.MAX_VALUE`). */
export const MAX_STRING_BYTES = 32767;

export const INT16_SIZE = 2;
export const INT32_SIZE = 4;
export const INT64_SIZE = 8;

const TWO_POW_32 = 4294967296;
// Lone UTF-16 surrogates: Java encodes them as "?", Node as U+FFFD, so bytes would differ.
const LONE_SURROGATE = /\p{Cs}/u;

/** Encoded size of a STRING field; validates the value so the later write cannot fail. */
export function stringSize(value: string, field: string): number {
  if (LONE_SURROGATE.test(value)) {
    throw new Mm2FormatError("MM2_INVALID_STRING", `${field} contains an unpaired UTF-16 surrogate`, {
      field,
    });
  }
  const bytes = Buffer.byteLength(value, "utf8");
  if (bytes > MAX_STRING_BYTES) {
    throw new Mm2FormatError(
      "MM2_STRING_TOO_LONG",
      `${field} is ${bytes} bytes of UTF-8; Kafka STRING fields hold at most ${MAX_STRING_BYTES}`,
      { field, bytes },
    );
  }
  return INT16_SIZE + bytes;
}

/** Writes a STRING whose size was checked with {@link stringSize}; returns the next position. */
export function writeString(buf: Buffer, pos: number, value: string): number {
  const written = buf.write(value, pos + INT16_SIZE, "utf8");
  buf.writeInt16BE(written, pos);
  return pos + INT16_SIZE + written;
}

export function writeInt16(buf: Buffer, pos: number, value: number, field: string): number {
  checkIntRange(value, -32768, 32767, field, "INT16");
  return buf.writeInt16BE(value, pos);
}

export function writeInt32(buf: Buffer, pos: number, value: number, field: string): number {
  checkIntRange(value, -2147483648, 2147483647, field, "INT32");
  return buf.writeInt32BE(value, pos);
}

export function writeInt64(buf: Buffer, pos: number, value: number, field: string): number {
  if (!Number.isSafeInteger(value)) {
    throw new Mm2FormatError(
      "MM2_INT64_OUT_OF_RANGE",
      `${field} must be a safe integer to be written as INT64, got ${String(value)}`,
      { field },
    );
  }
  const high = Math.floor(value / TWO_POW_32);
  buf.writeInt32BE(high, pos);
  buf.writeUInt32BE(value - high * TWO_POW_32, pos + INT32_SIZE);
  return pos + INT64_SIZE;
}

function checkIntRange(value: number, min: number, max: number, field: string, type: string): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Mm2FormatError("MM2_VALUE_OUT_OF_RANGE", `${field} must be an ${type}, got ${String(value)}`, {
      field,
    });
  }
}

/**
 * Sequential reader over one record key or value. Trailing bytes are ignored, as Java's
 * `Schema.read` does; reading past the end throws `MM2_TRUNCATED_RECORD` naming the field.
 */
export class StructReader {
  private readonly buf: Uint8Array;
  private readonly view: DataView;
  private pos = 0;
  private readonly what: string;

  /** @param what names the structure in error messages, e.g. "checkpoint key". */
  constructor(bytes: Uint8Array, what: string) {
    this.buf = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.what = what;
  }

  /** Bytes not consumed yet. */
  get remaining(): number {
    return this.buf.byteLength - this.pos;
  }

  readInt16(field: string): number {
    this.require(INT16_SIZE, field, "INT16");
    const value = this.view.getInt16(this.pos);
    this.pos += INT16_SIZE;
    return value;
  }

  readInt32(field: string): number {
    this.require(INT32_SIZE, field, "INT32");
    const value = this.view.getInt32(this.pos);
    this.pos += INT32_SIZE;
    return value;
  }

  readInt64(field: string): number {
    this.require(INT64_SIZE, field, "INT64");
    const high = this.view.getInt32(this.pos);
    const low = this.view.getUint32(this.pos + INT32_SIZE);
    this.pos += INT64_SIZE;
    // Exact whenever the true value is a safe integer; otherwise rounds to an unsafe one.
    const value = high * TWO_POW_32 + low;
    if (!Number.isSafeInteger(value)) {
      throw new Mm2FormatError(
        "MM2_INT64_OUT_OF_RANGE",
        `${this.what}: ${field} does not fit in a safe integer (|value| > 2^53 - 1)`,
        { field },
      );
    }
    return value;
  }

  /** Malformed UTF-8 decodes with U+FFFD replacements, as Java's `new String(bytes, UTF_8)` does. */
  readString(field: string): string {
    const length = this.readInt16(field);
    if (length < 0) {
      throw new Mm2FormatError(
        "MM2_NEGATIVE_STRING_LENGTH",
        `${this.what}: ${field} has length ${length}, which cannot be negative (STRING is never null)`,
        { field, length },
      );
    }
    this.require(length, field, `STRING of ${length} bytes`);
    const start = this.buf.byteOffset + this.pos;
    this.pos += length;
    return Buffer.from(this.buf.buffer, start, length).toString("utf8");
  }

  private require(size: number, field: string, type: string): void {
    if (this.remaining < size) {
      throw new Mm2FormatError(
        "MM2_TRUNCATED_RECORD",
        `${this.what} is truncated: ${field} (${type}) needs ${size} bytes at byte ${this.pos}, only ${this.remaining} left`,
        { field, position: this.pos, needed: size, remaining: this.remaining },
      );
    }
  }
}

/** Rejects a missing (null/undefined) key or value, i.e. a tombstone on an MM2 topic. */
export function requireBytes(
  bytes: Uint8Array | null | undefined,
  what: string,
  code: "MM2_MISSING_KEY" | "MM2_MISSING_VALUE",
): Uint8Array {
  if (bytes === null || bytes === undefined) {
    throw new Mm2FormatError(code, `${what} is missing (null); MM2 never writes tombstones`);
  }
  return bytes;
}
