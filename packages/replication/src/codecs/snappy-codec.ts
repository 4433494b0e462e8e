import { createRequire } from "node:module";

/** The part of `snappyjs` (pure JavaScript, no native code) used here; the package ships no types. */
interface SnappyJs {
  uncompress(compressed: Buffer, maxLength?: number): Buffer;
  compress(uncompressed: Buffer): Buffer;
}

const snappy = createRequire(import.meta.url)("snappyjs") as SnappyJs;

/**
 * Java's producer (snappy-java's `SnappyOutputStream`) writes Kafka's snappy batches in the
 * "xerial" framing: this 8-byte magic, two int32 versions, then blocks of
 * `[int32 big-endian length][raw snappy block]` (32 KiB of input each). librdkafka and kafkajs
 * write one raw snappy block instead. Both are read here.
 */
const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
const XERIAL_HEADER_BYTES = 16;

export function isXerialFramed(buffer: Buffer): boolean {
  return buffer.length >= XERIAL_HEADER_BYTES && buffer.subarray(0, XERIAL_MAGIC.length).equals(XERIAL_MAGIC);
}

/** Decompresses a snappy payload of a Kafka record batch, framed (Java) or raw (librdkafka, kafkajs). */
export function snappyDecompress(buffer: Buffer): Buffer {
  if (!isXerialFramed(buffer)) return snappy.uncompress(buffer);
  const blocks: Buffer[] = [];
  let offset = XERIAL_HEADER_BYTES;
  while (offset < buffer.length) {
    if (offset + 4 > buffer.length) {
      throw new Error(`xerial snappy stream truncated: block length at byte ${offset} is cut off`);
    }
    const size = buffer.readInt32BE(offset);
    offset += 4;
    if (size < 0 || offset + size > buffer.length) {
      throw new Error(
        `xerial snappy stream truncated: block of ${size} bytes at byte ${offset} overruns ${buffer.length}`,
      );
    }
    blocks.push(snappy.uncompress(buffer.subarray(offset, offset + size)));
    offset += size;
  }
  return blocks.length === 1 ? blocks[0]! : Buffer.concat(blocks);
}

/** One raw snappy block, as kafkajs-snappy and librdkafka write it; Java consumers read it too. */
export function snappyCompress(buffer: Buffer): Buffer {
  return snappy.compress(buffer);
}

/** A kafkajs codec (`CompressionCodecs[CompressionTypes.Snappy]`). */
export const snappyCodec = {
  async compress(encoder: { buffer: Buffer }): Promise<Buffer> {
    return snappyCompress(encoder.buffer);
  },
  async decompress(buffer: Buffer): Promise<Buffer> {
    return snappyDecompress(buffer);
  },
};
