// A faster RecordBatch decoder for kafkajs's Fetch responses, installed into kafkajs.
//
// kafkajs 2.2.4 decodes every record eagerly: a Decoder object per record, two BigInt Long
// additions turned into strings (offset, timestamp), Buffer slices for key and value, and headers
// folded into an object with a spread per header. The copy loop needs none of that: it forwards
// each record's key, value and headers as they are. This decoder reads only a record's framing
// (length, timestamp delta, offset delta) and keeps where its key/value/headers bytes are; the
// fields are decoded on first access (LazyRecord), so every other reader in the process sees the
// same record kafkajs would give, while the fast produce encoder copies the bytes straight across.
//
// kafkajs loads its Fetch response modules lazily, on the first fetch of each version, so
// replacing the batch decoder in Node's require cache (and forgetting the modules that captured
// it) takes effect for every consumer of the process.
import { nodeRequire, replaceKafkajsModule } from "./node-require.ts";

const TIMESTAMP_TYPE_FLAG_MASK = 0x8;
const TRANSACTIONAL_FLAG_MASK = 0x10;
const CONTROL_FLAG_MASK = 0x20;
const LOG_APPEND_TIME = 1;
const CREATE_TIME = 0;

type HeaderValue = Buffer | null;
type Headers = Record<string, HeaderValue | HeaderValue[]>;

/** What kafkajs calls the batch context: the batch header every record of it refers to. */
export interface BatchContext {
  firstOffset: string;
  firstTimestamp: string;
  partitionLeaderEpoch: number;
  inTransaction: boolean;
  isControlBatch: boolean;
  lastOffsetDelta: number;
  producerId: string;
  producerEpoch: number;
  firstSequence: number;
  maxTimestamp: string;
  timestampType: number;
  magicByte: number;
}

/**
 * A fetched record. `offset`, `timestamp`, `key`, `value` and `headers` read as in kafkajs;
 * key, value and headers are decoded from `buffer[bodyStart, bodyEnd)` on first access.
 */
export class LazyRecord {
  private decodedKey: Buffer | null | undefined = undefined;
  private decodedValue: Buffer | null = null;
  private decodedHeaders: Headers = {};

  constructor(
    readonly magicByte: number,
    readonly attributes: number,
    /** The record's offset, as kafkajs gives it. */
    readonly offset: string,
    readonly timestampMs: number,
    readonly isControlRecord: boolean,
    readonly batchContext: BatchContext,
    /** The bytes holding key, value and headers, exactly as in the record batch. */
    readonly buffer: Buffer,
    readonly bodyStart: number,
    readonly bodyEnd: number,
  ) {}

  get timestamp(): string {
    return String(this.timestampMs);
  }

  get key(): Buffer | null {
    if (this.decodedKey === undefined) this.decodeBody();
    return this.decodedKey as Buffer | null;
  }

  get value(): Buffer | null {
    if (this.decodedKey === undefined) this.decodeBody();
    return this.decodedValue;
  }

  get headers(): Headers {
    if (this.decodedKey === undefined) this.decodeBody();
    return this.decodedHeaders;
  }

  /** Size of key, value and headers as encoded. */
  get bodyBytes(): number {
    return this.bodyEnd - this.bodyStart;
  }

  private decodeBody(): void {
    const r = new Reader(this.buffer, this.bodyStart);
    this.decodedKey = r.varBytes();
    this.decodedValue = r.varBytes();
    const count = r.varInt();
    const headers: Headers = {};
    for (let i = 0; i < count; i++) {
      const name = r.varString();
      const value = r.varBytes();
      // kafkajs's folding: a repeated name collects its values into an array, in order. (Own
      // properties only: kafkajs mistakes names like "constructor" for repeated ones.)
      const seen = Object.hasOwn(headers, name) ? headers[name] : undefined;
      const folded = seen === undefined ? value : Array.isArray(seen) ? seen.concat([value]) : [seen, value];
      if (name === "__proto__")
        Object.defineProperty(headers, name, {
          value: folded,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      else headers[name] = folded;
    }
    this.decodedHeaders = headers;
  }
}

/** Reads the zig-zag varints of the record format from a Buffer. */
class Reader {
  constructor(
    readonly buf: Buffer,
    public pos: number,
  ) {}

  varInt(): number {
    let value = 0;
    let shift = 0;
    let byte: number;
    do {
      byte = this.buf[this.pos++]!;
      value |= (byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80 && shift < 35);
    return (value >>> 1) ^ -(value & 1);
  }

  /** Timestamp deltas beyond ±2^27 ms (~37 hours) take the BigInt path. */
  varLong(): number {
    const start = this.pos;
    let value = 0;
    let shift = 0;
    let byte: number;
    do {
      byte = this.buf[this.pos++]!;
      if (shift === 28) {
        this.pos = start;
        return this.varLongBig();
      }
      value |= (byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80);
    return (value >>> 1) ^ -(value & 1);
  }

  private varLongBig(): number {
    let value = 0n;
    let shift = 0n;
    let byte: number;
    do {
      byte = this.buf[this.pos++]!;
      value |= BigInt(byte & 0x7f) << shift;
      shift += 7n;
    } while (byte & 0x80);
    return Number((value >> 1n) ^ -(value & 1n));
  }

  varBytes(): Buffer | null {
    const length = this.varInt();
    if (length < 0) return null;
    const bytes = this.buf.subarray(this.pos, this.pos + length);
    this.pos += length;
    return bytes;
  }

  varString(): string {
    const length = this.varInt();
    // kafkajs reads a null header name as null and folds it in under "null".
    if (length < 0) return "null";
    const s = this.buf.toString("utf8", this.pos, this.pos + length);
    this.pos += length;
    return s;
  }
}

/** Reads `count` records starting at `pos` (their length-prefixed framing only). */
function readRecords(buf: Buffer, pos: number, count: number, ctx: BatchContext): LazyRecord[] {
  const records = new Array<LazyRecord>(count);
  const baseOffset = Number(ctx.firstOffset);
  const firstTimestamp = Number(ctx.firstTimestamp);
  const appendTime = ctx.timestampType === LOG_APPEND_TIME ? Number(ctx.maxTimestamp) : null;
  const r = new Reader(buf, pos);
  for (let i = 0; i < count; i++) {
    const length = r.varInt();
    const end = r.pos + length;
    const attributes = (buf[r.pos++]! << 24) >> 24; // int8
    const timestampDelta = r.varLong();
    const offsetDelta = r.varInt();
    records[i] = new LazyRecord(
      ctx.magicByte,
      attributes,
      String(baseOffset + offsetDelta),
      appendTime ?? firstTimestamp + timestampDelta,
      ctx.isControlBatch,
      ctx,
      buf,
      r.pos,
      end,
    );
    r.pos = end;
  }
  return records;
}

interface KafkajsDecoder {
  buffer: Buffer;
  offset: number;
  readInt8(): number;
  readInt16(): number;
  readInt32(): number;
  readInt64(): bigint;
  readAll(): Buffer;
  slice(size: number): KafkajsDecoder;
  forward(size: number): void;
}
interface Codec {
  decompress(buffer: Buffer): Promise<Buffer>;
}

/** Builds the decoder with kafkajs's own error type and codec table (registered codecs included). */
function createBatchDecoder(
  lookupCodecByAttributes: (attributes: number) => Codec | null,
  PartialMessageError: new (message: string) => Error,
) {
  return async (fetchDecoder: KafkajsDecoder) => {
    const firstOffset = fetchDecoder.readInt64().toString();
    const length = fetchDecoder.readInt32();
    const decoder = fetchDecoder.slice(length);
    fetchDecoder.forward(length);
    const remainingBytes = decoder.buffer.length;
    if (remainingBytes < length) {
      throw new PartialMessageError(
        `Tried to decode a partial record batch: remainingBytes(${remainingBytes}) < recordBatchLength(${length})`,
      );
    }
    const partitionLeaderEpoch = decoder.readInt32();
    const magicByte = decoder.readInt8();
    decoder.readInt32(); // CRC: kafkajs does not check it either (TCP and the broker do)
    const attributes = decoder.readInt16();
    const lastOffsetDelta = decoder.readInt32();
    const firstTimestamp = decoder.readInt64().toString();
    const maxTimestamp = decoder.readInt64().toString();
    const producerId = decoder.readInt64().toString();
    const producerEpoch = decoder.readInt16();
    const firstSequence = decoder.readInt32();
    const ctx: BatchContext = {
      firstOffset,
      firstTimestamp,
      partitionLeaderEpoch,
      inTransaction: (attributes & TRANSACTIONAL_FLAG_MASK) > 0,
      isControlBatch: (attributes & CONTROL_FLAG_MASK) > 0,
      lastOffsetDelta,
      producerId,
      producerEpoch,
      firstSequence,
      maxTimestamp,
      timestampType: (attributes & TIMESTAMP_TYPE_FLAG_MASK) > 0 ? LOG_APPEND_TIME : CREATE_TIME,
      magicByte,
    };
    const codec = lookupCodecByAttributes(attributes);
    const count = decoder.readInt32();
    let records: LazyRecord[];
    if (!codec) {
      records = count <= 0 ? [] : readRecords(decoder.buffer, decoder.offset, count, ctx);
    } else if (count <= 0) {
      records = [];
    } else {
      const decompressed = await codec.decompress(decoder.readAll());
      records = readRecords(decompressed, 0, count, ctx);
    }
    const { magicByte: _magic, ...recordContext } = ctx;
    return { ...recordContext, records };
  };
}

/** Makes every kafkajs consumer of this process decode record batches lazily (LazyRecord). */
export function installLazyRecordBatchDecoder(): void {
  // Fetch v4+ responses share v4's decodeMessages, which captured the decoder when it loaded.
  const fetch = "src/protocol/requests/fetch";
  replaceKafkajsModule("src/protocol/recordBatch/v0/decoder.js", () => lazyBatchDecoderFromKafkajs(), [
    `${fetch}/v4/decodeMessages.js`,
    ...[4, 5, 6, 7, 8, 9, 10, 11].map((v) => `${fetch}/v${v}/response.js`),
  ]);
}

function lazyBatchDecoderFromKafkajs() {
  const require = nodeRequire();
  const { lookupCodecByAttributes } = require("kafkajs/src/protocol/message/compression/index.js") as {
    lookupCodecByAttributes: (attributes: number) => Codec | null;
  };
  const { KafkaJSPartialMessageError } = require("kafkajs/src/errors.js") as {
    KafkaJSPartialMessageError: new (message: string) => Error;
  };
  return createBatchDecoder(lookupCodecByAttributes, KafkaJSPartialMessageError);
}

/** For tests: decodes one record batch (a kafkajs Decoder at its first byte) as installed. */
export function decodeRecordBatchForTest(buffer: Buffer) {
  const require = nodeRequire();
  const Decoder = require("kafkajs/src/protocol/decoder.js") as new (b: Buffer) => KafkajsDecoder;
  return lazyBatchDecoderFromKafkajs()(new Decoder(buffer));
}
