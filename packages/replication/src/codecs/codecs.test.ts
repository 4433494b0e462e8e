import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";
import { beforeAll, describe, expect, it } from "vitest";
import { type CodecName, kafkajs, runWatched } from "./decode-watch.ts";
import { registerCodecs } from "./register-codecs.ts";
import { isXerialFramed, snappyCompress, snappyDecompress } from "./snappy-codec.ts";

const require = createRequire(import.meta.url);
const { CompressionCodecs, CompressionTypes } = kafkajs;

/** What snappy-java's SnappyOutputStream writes: magic, version 1, compatible version 1, blocks. */
function xerialFrame(input: Buffer, blockSize = 32 * 1024): Buffer {
  const parts: Buffer[] = [
    Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00, 0, 0, 0, 1, 0, 0, 0, 1]),
  ];
  for (let i = 0; i < input.length; i += blockSize) {
    const block = snappyCompress(input.subarray(i, i + blockSize));
    const size = Buffer.alloc(4);
    size.writeInt32BE(block.length);
    parts.push(size, block);
  }
  return Buffer.concat(parts);
}

describe("snappy codec", () => {
  const input = Buffer.concat([randomBytes(50_000), Buffer.alloc(60_000, "kafka")]);

  it("reads raw snappy blocks (kafkajs, librdkafka)", () => {
    const raw = snappyCompress(input);
    expect(isXerialFramed(raw)).toBe(false);
    expect(snappyDecompress(raw).equals(input)).toBe(true);
  });

  it("reads Java's xerial framing with one or many blocks", () => {
    const many = xerialFrame(input);
    expect(isXerialFramed(many)).toBe(true);
    expect(snappyDecompress(many).equals(input)).toBe(true);
    expect(snappyDecompress(xerialFrame(Buffer.from("one small block"))).toString()).toBe("one small block");
    expect(snappyDecompress(xerialFrame(Buffer.alloc(0))).length).toBe(0);
  });

  it("rejects a truncated xerial stream instead of returning short data", () => {
    const framed = xerialFrame(input);
    expect(() => snappyDecompress(framed.subarray(0, framed.length - 10))).toThrow(/truncated/);
    expect(() => snappyDecompress(framed.subarray(0, 18))).toThrow(/truncated/);
  });
});

/* kafkajs internals the containment relies on (pinned kafkajs 2.2.4): exercised here directly. */
const Long = require("kafkajs/src/utils/long");
const { RecordBatch } = require("kafkajs/src/protocol/recordBatch/v0");
const Record = require("kafkajs/src/protocol/recordBatch/record/v0");
const decodeMessages = require("kafkajs/src/protocol/requests/fetch/v4/decodeMessages");
const Decoder = require("kafkajs/src/protocol/decoder");

/** A record batch of `count` records from `firstOffset`, compressed with gzip then relabelled. */
async function batch(firstOffset: number, count: number, label: number): Promise<Buffer> {
  const records = Array.from({ length: count }, (_, i) =>
    Record({ offsetDelta: i, key: Buffer.from(`k${i}`), value: Buffer.from(`v${firstOffset + i}`) }),
  );
  const encoded = await RecordBatch({
    compression: CompressionTypes.GZIP,
    firstOffset: Long.fromNumber(firstOffset),
    lastOffsetDelta: count - 1,
    records,
  });
  const buffer = Buffer.from(encoded.buffer);
  // Attributes (int16) follow firstOffset, length, leader epoch, magic and CRC (kafkajs skips the CRC).
  buffer.writeInt16BE((buffer.readInt16BE(21) & ~0x07) | label, 21);
  return buffer;
}

async function decodePartitionData(...batches: Buffer[]): Promise<{ offset: string }[]> {
  const body = Buffer.concat(batches);
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length);
  return decodeMessages(new Decoder(Buffer.concat([size, body])));
}

describe("registerCodecs", () => {
  beforeAll(() => registerCodecs());

  it("is idempotent and installs snappy", async () => {
    const before = CompressionCodecs[CompressionTypes.Snappy];
    registerCodecs();
    expect(CompressionCodecs[CompressionTypes.Snappy]).toBe(before);
    const codec = CompressionCodecs[CompressionTypes.Snappy]();
    const data = Buffer.from("snappy through kafkajs's codec table");
    expect((await codec.decompress(await codec.compress({ buffer: data }))).equals(data)).toBe(true);
  });

  it("installs the lz4 and zstd decoders (they only read: the engine writes no lz4 or zstd)", async () => {
    for (const type of [CompressionTypes.LZ4, CompressionTypes.ZSTD] as const) {
      await expect(CompressionCodecs[type]().compress({ buffer: Buffer.from("x") })).rejects.toThrow(
        /compression is not implemented/,
      );
    }
  });

  it("outside a watched fetch, an undecodable lz4 batch fails the decode as kafkajs does by itself", async () => {
    await expect(decodePartitionData(await batch(0, 3, CompressionTypes.LZ4))).rejects.toThrow(
      /^lz4: not an LZ4 frame/,
    );
  });

  it("inside a watched fetch, an undecodable batch ends the partition's data and is reported", async () => {
    const reports: [CodecName, string | null][] = [];
    const watcher = {
      undecodable: (codec: CodecName, reason: string | null) => reports.push([codec, reason]),
    };
    const gzip = await batch(0, 5, CompressionTypes.GZIP);
    const lz4 = await batch(5, 5, CompressionTypes.LZ4);
    const after = await batch(10, 5, CompressionTypes.GZIP);
    const zstd = await batch(0, 5, CompressionTypes.ZSTD);
    const records = await runWatched(watcher, () => decodePartitionData(gzip, lz4, after));
    expect(records.map((r) => r.offset)).toEqual(["0", "1", "2", "3", "4"]);
    expect(await runWatched(watcher, () => decodePartitionData(zstd, gzip))).toEqual([]);
    expect(reports).toEqual([
      ["lz4", expect.stringMatching(/^lz4: not an LZ4 frame/)],
      ["zstd", expect.any(String)],
    ]);
  });

  it("inside a watched fetch, a failing gzip or snappy decode is reported with its reason", async () => {
    const reports: [CodecName, string | null][] = [];
    const watcher = {
      undecodable: (codec: CodecName, reason: string | null) => reports.push([codec, reason]),
    };
    const corrupt = await batch(0, 3, CompressionTypes.Snappy); // gzip bytes labelled snappy
    expect(await runWatched(watcher, () => decodePartitionData(corrupt))).toEqual([]);
    expect(reports).toHaveLength(1);
    expect(reports[0]?.[0]).toBe("snappy");
    expect(reports[0]?.[1]).toEqual(expect.any(String));
  });
});
