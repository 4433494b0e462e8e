import {
  INT32_SIZE,
  INT64_SIZE,
  requireBytes,
  StructReader,
  stringSize,
  writeInt32,
  writeInt64,
  writeString,
} from "./struct-codec.ts";

/**
 * "Upstream offset u of this source partition was written at downstream offset d"
 * (MM2's `OffsetSync`), on the `mm2-offset-syncs.<alias>.internal` topic.
 */
export interface OffsetSync {
  /** The source topic (not renamed). */
  topic: string;
  partition: number;
  upstreamOffset: number;
  downstreamOffset: number;
}

const VALUE_SIZE = INT64_SIZE + INT64_SIZE;

/** Key: topic STRING, partition INT32 (`OffsetSync.KEY_SCHEMA`). */
export function encodeOffsetSyncKey(sync: Pick<OffsetSync, "topic" | "partition">): Buffer {
  const buf = Buffer.allocUnsafe(stringSize(sync.topic, "topic") + INT32_SIZE);
  const pos = writeString(buf, 0, sync.topic);
  writeInt32(buf, pos, sync.partition, "partition");
  return buf;
}

/** Value: upstreamOffset INT64, offset INT64; no version field (`OffsetSync.VALUE_SCHEMA`). */
export function encodeOffsetSyncValue(sync: Pick<OffsetSync, "upstreamOffset" | "downstreamOffset">): Buffer {
  const buf = Buffer.allocUnsafe(VALUE_SIZE);
  const pos = writeInt64(buf, 0, sync.upstreamOffset, "upstreamOffset");
  writeInt64(buf, pos, sync.downstreamOffset, "downstreamOffset");
  return buf;
}

export function decodeOffsetSyncKey(
  key: Uint8Array | null | undefined,
): Pick<OffsetSync, "topic" | "partition"> {
  const reader = new StructReader(requireBytes(key, "offset sync key", "MM2_MISSING_KEY"), "offset sync key");
  const topic = reader.readString("topic");
  const partition = reader.readInt32("partition");
  return { topic, partition };
}

export function decodeOffsetSyncValue(
  value: Uint8Array | null | undefined,
): Pick<OffsetSync, "upstreamOffset" | "downstreamOffset"> {
  const reader = new StructReader(
    requireBytes(value, "offset sync value", "MM2_MISSING_VALUE"),
    "offset sync value",
  );
  const upstreamOffset = reader.readInt64("upstreamOffset");
  const downstreamOffset = reader.readInt64("downstreamOffset");
  return { upstreamOffset, downstreamOffset };
}

/** Decodes one record of an offset-syncs topic (`OffsetSync.deserializeRecord`). */
export function decodeOffsetSync(record: {
  key: Uint8Array | null | undefined;
  value: Uint8Array | null | undefined;
}): OffsetSync {
  const key = decodeOffsetSyncKey(record.key);
  return { ...key, ...decodeOffsetSyncValue(record.value) };
}
