// The lz4 and zstd decoders against frames written by the reference tools (fixtures/README.md):
// every frame option Kafka's and librdkafka's producers use, and damaged input refused in words.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { decodeLz4Block, lz4Decompress } from "./lz4-codec.ts";
import { zstdDecompress } from "./zstd-codec.ts";

const fixture = (name: string) => readFileSync(path.join(import.meta.dirname, "fixtures", name));

/** JSON-ish lines, as record batches often hold: compressible, with matches across blocks. */
function text(bytes: number): Buffer {
  const lines: string[] = [];
  let length = 0;
  for (let i = 0; length < bytes; i++) {
    const line = `{"offset":${i},"key":"key-${i % 101}","value":"${"abcdefgh".repeat(4 + (i % 5))}"}\n`;
    lines.push(line);
    length += line.length;
  }
  return Buffer.from(lines.join("").slice(0, bytes));
}

/** Incompressible bytes (a fixed linear congruential sequence). */
function noise(bytes: number): Buffer {
  let x = 12345;
  const out = Buffer.alloc(bytes);
  for (let i = 0; i < bytes; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

const TEXT = text(150_000);
const NOISE = noise(3_000);
const MIXED = Buffer.concat([text(5_000), noise(2_000), text(5_000)]);

describe("lz4 frames", () => {
  it("decodes linked 64 KiB blocks (matches reaching into the block before) with a content checksum", () => {
    const frame = fixture("text.linked.lz4");
    expect(frame[4]! & 0x20).toBe(0); // FLG: blocks linked
    expect(lz4Decompress(frame).equals(TEXT)).toBe(true);
  });

  it("decodes independent blocks with block checksums and a content size", () => {
    const frame = fixture("text.checked.lz4");
    expect(frame[4]! & 0x18).toBe(0x18); // FLG: block checksums, content size
    expect(lz4Decompress(frame).equals(TEXT)).toBe(true);
    // A declared size that is not the decoded size is refused, smaller or larger.
    for (const declared of [149_999n, 150_001n]) {
      const wrong = Buffer.from(frame);
      wrong.writeBigUInt64LE(declared, 6);
      expect(() => lz4Decompress(wrong)).toThrow(/^lz4: /);
    }
  });

  it("returns exact-size buffers: kafkajs keeps slices of them, so none pins a whole block bound", () => {
    // Three 64 KiB blocks bound the output at 192 KiB; 150,000 bytes come out.
    expect(lz4Decompress(fixture("text.linked.lz4")).buffer.byteLength).toBe(150_000);
    expect(lz4Decompress(fixture("text.checked.lz4")).buffer.byteLength).toBe(150_000);
  });

  it("copies a block stored uncompressed, and mixed content", () => {
    const frame = fixture("noise.lz4");
    expect(frame.readUInt32LE(7) & 0x80000000).not.toBe(0); // the first block is stored as is
    expect(lz4Decompress(frame).equals(NOISE)).toBe(true);
    expect(lz4Decompress(fixture("mixed.lz4")).equals(MIXED)).toBe(true);
  });

  it("decodes two frames in a row, and skips a skippable frame", () => {
    const skippable = Buffer.from([0x5a, 0x2a, 0x4d, 0x18, 3, 0, 0, 0, 1, 2, 3]);
    const input = Buffer.concat([fixture("mixed.lz4"), skippable, fixture("noise.lz4")]);
    expect(lz4Decompress(input).equals(Buffer.concat([MIXED, NOISE]))).toBe(true);
  });

  it("repeats an overlapping match byte by byte (offset 1: a run)", () => {
    // token: 1 literal, match length 15 + 4 + extra 1 = 20; literal "a"; offset 1; then "b".
    const block = Buffer.from([0x1f, 0x61, 0x01, 0x00, 0x01, 0x10, 0x62]);
    const output = Buffer.alloc(22);
    expect(decodeLz4Block(block, 0, block.length, output, 0)).toBe(22);
    expect(output.toString()).toBe(`${"a".repeat(21)}b`);
  });

  it("refuses damaged input in words instead of reading or writing out of bounds", () => {
    const frame = fixture("mixed.lz4");
    expect(() => lz4Decompress(frame.subarray(0, frame.length - 40))).toThrow(/^lz4: block cut off/);
    expect(() => lz4Decompress(Buffer.from("not lz4 at all"))).toThrow(/^lz4: not an LZ4 frame/);
    // A match pointing before the start of the output.
    const badOffset = Buffer.from([0x10, 0x61, 0x05, 0x00]);
    expect(() => decodeLz4Block(badOffset, 0, badOffset.length, Buffer.alloc(64), 0)).toThrow(
      /^lz4: match offset 5 points before the output/,
    );
    // More output than the frame's block size allows.
    expect(() =>
      decodeLz4Block(Buffer.from([0x1f, 0x61, 0x01, 0x00, 0xff, 0x10]), 0, 6, Buffer.alloc(8), 0),
    ).toThrow(/^lz4: output larger than the frame allows/);
  });
});

describe("zstd frames", () => {
  it("decodes a frame with its content size, a streamed one without, and two frames in a row", () => {
    expect(zstdDecompress(fixture("mixed.zst")).equals(MIXED)).toBe(true);
    expect(zstdDecompress(fixture("text.stream.zst")).equals(TEXT)).toBe(true);
    expect(zstdDecompress(fixture("two-frames.zst")).equals(Buffer.concat([MIXED, TEXT]))).toBe(true);
  });

  it("refuses damaged input", () => {
    const frame = fixture("mixed.zst");
    expect(() => zstdDecompress(frame.subarray(0, frame.length - 100))).toThrow();
    expect(() => zstdDecompress(Buffer.from("not zstd at all"))).toThrow();
  });
});
