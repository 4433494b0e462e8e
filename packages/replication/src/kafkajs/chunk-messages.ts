import type { Message } from "kafkajs";

/** Keeps each produce request well under the brokers' default `message.max.bytes` (1 MiB). */
export const MAX_REQUEST_BYTES = 512 * 1024;

/** Splits messages into runs whose key and value bytes stay under `maxBytes` (at least one each). */
export function chunkBySize<T extends Pick<Message, "key" | "value">>(
  messages: readonly T[],
  maxBytes: number = MAX_REQUEST_BYTES,
): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const message of messages) {
    const size = byteLength(message.key) + byteLength(message.value) + 64;
    if (current.length > 0 && bytes + size > maxBytes) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(message);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

function byteLength(data: Message["key"] | Message["value"]): number {
  if (data === null || data === undefined) return 0;
  return typeof data === "string" ? Buffer.byteLength(data) : data.length;
}
