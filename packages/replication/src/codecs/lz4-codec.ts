/**
 * Kafka's lz4 record batches hold one LZ4 frame (https://github.com/lz4/lz4/blob/dev/doc/lz4_Frame_format.md)
 * as Java's KafkaLZ4BlockOutputStream and librdkafka write it. Only decoding is needed (the engine
 * never writes lz4), and it is small enough to be ours: a frame header, then blocks of sequences
 * (literals, then a match copied from up to 64 KiB back). Checksums are not verified: the broker
 * checked the batch (CRC-32C) when it was written.
 */
const FRAME_MAGIC = 0x184d2204;
/** Skippable frames: 0x184D2A50 … 0x184D2A5F. */
const SKIPPABLE_MASK = 0xfffffff0;
const SKIPPABLE_MAGIC = 0x184d2a50;
const BLOCK_UNCOMPRESSED = 0x80000000;
const MIN_MATCH = 4;
const BLOCK_MAX_BYTES: Record<number, number> = { 4: 64 << 10, 5: 256 << 10, 6: 1 << 20, 7: 4 << 20 };

class Lz4FormatError extends Error {
  constructor(message: string) {
    super(`lz4: ${message}`);
    this.name = "Lz4FormatError";
  }
}

interface FrameLayout {
  /** Where the frame's first block header is. */
  blocksAt: number;
  /** The decoded size the header declares, if it does. */
  contentSize: number | null;
  blockChecksums: boolean;
  contentChecksum: boolean;
  /** An upper bound of the decoded size: each block at most the frame's block size. */
  maxOutput: number;
  /** Where the next frame (if any) starts. */
  end: number;
}

/** Reads a frame's header and walks its block headers (not their contents) to size the output. */
function layoutOf(input: Buffer, at: number): FrameLayout {
  if (at + 7 > input.length) throw new Lz4FormatError(`frame header cut off at byte ${at}`);
  const flg = input[at + 4]!;
  const bd = input[at + 5]!;
  if (flg >> 6 !== 1) throw new Lz4FormatError(`unsupported frame version ${flg >> 6}`);
  const blockMax = BLOCK_MAX_BYTES[(bd >> 4) & 7];
  if (blockMax === undefined) throw new Lz4FormatError(`invalid block size code ${(bd >> 4) & 7}`);
  const blockChecksums = (flg & 0x10) !== 0;
  const hasContentSize = (flg & 0x08) !== 0;
  const contentChecksum = (flg & 0x04) !== 0;
  const dictionary = (flg & 0x01) !== 0;
  if (dictionary) throw new Lz4FormatError("frames that need a dictionary are not supported");
  // magic, FLG, BD, [content size], [dictionary id], header checksum
  const blocksAt = at + 6 + (hasContentSize ? 8 : 0) + 1;
  const contentSize = hasContentSize ? Number(input.readBigUInt64LE(at + 6)) : null;
  let cursor = blocksAt;
  let maxOutput = 0;
  for (;;) {
    if (cursor + 4 > input.length) throw new Lz4FormatError(`block header cut off at byte ${cursor}`);
    const header = input.readUInt32LE(cursor);
    cursor += 4;
    if (header === 0) break;
    const size = (header & ~BLOCK_UNCOMPRESSED) >>> 0;
    if (size > blockMax) throw new Lz4FormatError(`block of ${size} bytes exceeds the frame's ${blockMax}`);
    cursor += size + (blockChecksums ? 4 : 0);
    if (cursor > input.length)
      throw new Lz4FormatError(`block cut off: needs ${cursor} of ${input.length} bytes`);
    maxOutput += (header & BLOCK_UNCOMPRESSED) !== 0 ? size : blockMax;
  }
  const end = cursor + (contentChecksum ? 4 : 0);
  if (end > input.length) throw new Lz4FormatError("content checksum cut off");
  if (contentSize !== null && contentSize > maxOutput) {
    throw new Lz4FormatError(`declared content size ${contentSize} exceeds what its blocks can hold`);
  }
  return { blocksAt, contentSize, blockChecksums, contentChecksum, maxOutput, end };
}

/**
 * Decodes one LZ4 block from `input[start, end)` into `output` at `op`; matches may reach back
 * into earlier blocks of the frame (linked blocks), which are in `output` before `op`.
 * Returns the new output position.
 */
export function decodeLz4Block(
  input: Buffer,
  start: number,
  end: number,
  output: Buffer,
  op: number,
): number {
  let ip = start;
  const outputEnd = output.length;
  while (ip < end) {
    const token = input[ip++]!;
    let literals = token >>> 4;
    if (literals === 15) {
      let extra: number;
      do {
        if (ip >= end) throw new Lz4FormatError("literal length cut off");
        extra = input[ip++]!;
        literals += extra;
      } while (extra === 255);
    }
    if (ip + literals > end) throw new Lz4FormatError("literals run past the block");
    if (op + literals > outputEnd) throw new Lz4FormatError("output larger than the frame allows");
    if (literals < 16) {
      for (let i = 0; i < literals; i++) output[op + i] = input[ip + i]!;
    } else {
      input.copy(output, op, ip, ip + literals);
    }
    ip += literals;
    op += literals;
    if (ip >= end) break; // the last sequence is literals only
    if (ip + 2 > end) throw new Lz4FormatError("match offset cut off");
    const offset = input[ip]! | (input[ip + 1]! << 8);
    ip += 2;
    if (offset === 0 || offset > op)
      throw new Lz4FormatError(`match offset ${offset} points before the output`);
    let length = token & 15;
    if (length === 15) {
      let extra: number;
      do {
        if (ip >= end) throw new Lz4FormatError("match length cut off");
        extra = input[ip++]!;
        length += extra;
      } while (extra === 255);
    }
    length += MIN_MATCH;
    if (op + length > outputEnd) throw new Lz4FormatError("output larger than the frame allows");
    const from = op - offset;
    if (offset >= length) {
      output.copyWithin(op, from, from + length);
    } else {
      // Overlapping: the match repeats the last `offset` bytes; copied byte by byte, in order.
      for (let i = 0; i < length; i++) output[op + i] = output[from + i]!;
    }
    op += length;
  }
  return op;
}

/**
 * Where frames without a declared size are decoded, reused: the bound (a whole block size per
 * block, up to 4 MiB) can be far above the decoded size, and kafkajs keeps slices of what a codec
 * returns, so the result is an exact-size copy rather than a view pinning the bound.
 */
let scratch = Buffer.alloc(0);

/** Decompresses the LZ4 frame(s) of a Kafka lz4 record batch. */
export function lz4Decompress(input: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  while (at < input.length) {
    if (at + 4 > input.length) throw new Lz4FormatError(`frame magic cut off at byte ${at}`);
    const magic = input.readUInt32LE(at);
    if ((magic & SKIPPABLE_MASK) >>> 0 === SKIPPABLE_MAGIC) {
      if (at + 8 > input.length) throw new Lz4FormatError("skippable frame cut off");
      at += 8 + input.readUInt32LE(at + 4);
      continue;
    }
    if (magic !== FRAME_MAGIC) throw new Lz4FormatError(`not an LZ4 frame (magic 0x${magic.toString(16)})`);
    const frame = layoutOf(input, at);
    if (frame.contentSize === null && scratch.length < frame.maxOutput) {
      scratch = Buffer.allocUnsafe(Math.max(frame.maxOutput, 2 * scratch.length));
    }
    const output = frame.contentSize === null ? scratch : Buffer.allocUnsafe(frame.contentSize);
    let op = 0;
    let cursor = frame.blocksAt;
    for (;;) {
      const header = input.readUInt32LE(cursor);
      cursor += 4;
      if (header === 0) break;
      const size = (header & ~BLOCK_UNCOMPRESSED) >>> 0;
      if ((header & BLOCK_UNCOMPRESSED) !== 0) {
        if (op + size > output.length) throw new Lz4FormatError("output larger than the frame declares");
        input.copy(output, op, cursor, cursor + size);
        op += size;
      } else {
        op = decodeLz4Block(input, cursor, cursor + size, output, op);
      }
      cursor += size + (frame.blockChecksums ? 4 : 0);
    }
    if (frame.contentSize !== null && op !== frame.contentSize) {
      throw new Lz4FormatError(`decoded ${op} bytes where the frame declares ${frame.contentSize}`);
    }
    parts.push(frame.contentSize === null ? Buffer.from(output.subarray(0, op)) : output);
    at = frame.end;
  }
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
}

/** A kafkajs codec (`CompressionCodecs[CompressionTypes.LZ4]`) that reads; the engine writes no lz4. */
export const lz4Codec = {
  async compress(): Promise<Buffer> {
    throw new Error("lz4 compression is not implemented (the engine only reads lz4 batches)");
  },
  async decompress(buffer: Buffer): Promise<Buffer> {
    return lz4Decompress(buffer);
  },
};
