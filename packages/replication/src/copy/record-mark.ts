import { createHash } from "node:crypto";
import type { KafkaMessage } from "kafkajs";
import type { CopiedRecordMark } from "../ports/position-store.ts";

const NULL_LENGTH = -1;

/**
 * Offset and digest of a record: what identifies it in its log besides the offset (timestamp, key,
 * value). Taken once per produced chunk, of its last record, so it costs nothing per record.
 */
export function markOf(record: KafkaMessage): CopiedRecordMark {
  const lengths = Buffer.allocUnsafe(8);
  lengths.writeInt32BE(record.key?.length ?? NULL_LENGTH, 0);
  lengths.writeInt32BE(record.value?.length ?? NULL_LENGTH, 4);
  const hash = createHash("sha1").update(record.timestamp).update(lengths);
  if (record.key) hash.update(record.key);
  if (record.value) hash.update(record.value);
  return { offset: Number(record.offset), digest: hash.digest("base64url") };
}
