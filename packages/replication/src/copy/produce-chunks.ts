import type { KafkaMessage, Message } from "kafkajs";
import { LazyRecord } from "../kafkajs/lazy-record-batch.ts";

/** Produce requests stay well under the broker's default 1 MiB `message.max.bytes`. */
export const MAX_CHUNK_BYTES = 512 * 1024;

/**
 * Splits fetched records into produce chunks for one target partition, keeping key, value,
 * headers and timestamp as they are (no re-serialisation of payloads: the buffers are reused; a
 * LazyRecord is handed on whole, for the produce encoder to copy its bytes across).
 * Returns the chunks and each chunk's first index into `records`.
 */
export function toProduceChunks(
  records: readonly KafkaMessage[],
  partition: number,
  maxChunkBytes = MAX_CHUNK_BYTES,
): { messages: Message[]; firstIndex: number; bytes: number }[] {
  const chunks: { messages: Message[]; firstIndex: number; bytes: number }[] = [];
  let current: Message[] = [];
  let currentBytes = 0;
  let firstIndex = 0;
  for (let i = 0; i < records.length; i++) {
    const record = records[i]!;
    const lazy = record instanceof LazyRecord;
    const size = lazy
      ? record.bodyBytes + 64
      : (record.key?.length ?? 0) + (record.value?.length ?? 0) + headerBytes(record.headers) + 64;
    if (current.length > 0 && currentBytes + size > maxChunkBytes) {
      chunks.push({ messages: current, firstIndex, bytes: currentBytes });
      current = [];
      currentBytes = 0;
      firstIndex = i;
    }
    current.push(
      lazy
        ? ({ partition, value: record } as unknown as Message)
        : {
            partition,
            key: record.key,
            value: record.value,
            headers: record.headers as Message["headers"],
            timestamp: record.timestamp,
          },
    );
    currentBytes += size;
  }
  if (current.length > 0) chunks.push({ messages: current, firstIndex, bytes: currentBytes });
  return chunks;
}

function headerBytes(headers: KafkaMessage["headers"]): number {
  if (!headers) return 0;
  let total = 0;
  for (const name in headers) {
    const value = headers[name];
    total += name.length;
    if (Array.isArray(value)) for (const v of value) total += v?.length ?? 0;
    else if (value) total += value.length;
  }
  return total;
}
