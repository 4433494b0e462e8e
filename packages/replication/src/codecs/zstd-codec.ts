import { decompress } from "fzstd";

/**
 * Kafka's zstd record batches hold standard Zstandard frames (zstd-jni, librdkafka), decoded by
 * `fzstd` (pure JavaScript: no native build, no WebAssembly). Only decoding is needed: the engine
 * never writes zstd.
 */
export function zstdDecompress(input: Buffer): Buffer {
  const output = decompress(input);
  return Buffer.from(output.buffer, output.byteOffset, output.byteLength);
}

/** A kafkajs codec (`CompressionCodecs[CompressionTypes.ZSTD]`) that reads; the engine writes no zstd. */
export const zstdCodec = {
  async compress(): Promise<Buffer> {
    throw new Error("zstd compression is not implemented (the engine only reads zstd batches)");
  },
  async decompress(buffer: Buffer): Promise<Buffer> {
    return zstdDecompress(buffer);
  },
};
