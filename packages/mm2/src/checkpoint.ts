import { Mm2FormatError } from "./mm2-error.ts";
import {
  INT16_SIZE,
  INT32_SIZE,
  INT64_SIZE,
  requireBytes,
  StructReader,
  stringSize,
  writeInt16,
  writeInt32,
  writeInt64,
  writeString,
} from "./struct-codec.ts";

/**
 * A translated consumer-group offset on `<source>.checkpoints.internal` of the target
 * (MM2's `Checkpoint`). `topic` is the remote (renamed) topic on the target.
 */
export interface Checkpoint {
  consumerGroupId: string;
  topic: string;
  partition: number;
  upstreamOffset: number;
  /** The offset to commit on the target (`Checkpoint.offsetAndMetadata().offset()`). */
  downstreamOffset: number;
  /** The source group's commit metadata; "" when none. */
  metadata: string;
}

/** Value schema version written and accepted (`Checkpoint.VERSION`). */
export const CHECKPOINT_VERSION = 0;

/** Key: group STRING, topic STRING, partition INT32 (`Checkpoint.KEY_SCHEMA`). */
export function encodeCheckpointKey(checkpoint: Checkpoint): Buffer {
  const size =
    stringSize(checkpoint.consumerGroupId, "group") + stringSize(checkpoint.topic, "topic") + INT32_SIZE;
  const buf = Buffer.allocUnsafe(size);
  let pos = writeString(buf, 0, checkpoint.consumerGroupId);
  pos = writeString(buf, pos, checkpoint.topic);
  writeInt32(buf, pos, checkpoint.partition, "partition");
  return buf;
}

/** Value: version INT16 = 0, upstreamOffset INT64, offset INT64, metadata STRING (`VALUE_SCHEMA_V0`). */
export function encodeCheckpointValue(checkpoint: Checkpoint): Buffer {
  const size = INT16_SIZE + INT64_SIZE + INT64_SIZE + stringSize(checkpoint.metadata, "metadata");
  const buf = Buffer.allocUnsafe(size);
  let pos = writeInt16(buf, 0, CHECKPOINT_VERSION, "version");
  pos = writeInt64(buf, pos, checkpoint.upstreamOffset, "upstreamOffset");
  pos = writeInt64(buf, pos, checkpoint.downstreamOffset, "downstreamOffset");
  writeString(buf, pos, checkpoint.metadata);
  return buf;
}

export function decodeCheckpointKey(
  key: Uint8Array | null | undefined,
): Pick<Checkpoint, "consumerGroupId" | "topic" | "partition"> {
  const reader = new StructReader(requireBytes(key, "checkpoint key", "MM2_MISSING_KEY"), "checkpoint key");
  const consumerGroupId = reader.readString("group");
  const topic = reader.readString("topic");
  const partition = reader.readInt32("partition");
  return { consumerGroupId, topic, partition };
}

export function decodeCheckpointValue(
  value: Uint8Array | null | undefined,
): Pick<Checkpoint, "upstreamOffset" | "downstreamOffset" | "metadata"> {
  const reader = new StructReader(
    requireBytes(value, "checkpoint value", "MM2_MISSING_VALUE"),
    "checkpoint value",
  );
  const version = reader.readInt16("version");
  if (version !== CHECKPOINT_VERSION) {
    throw new Mm2FormatError(
      "MM2_UNSUPPORTED_VERSION",
      `checkpoint value has version ${version}; only version ${CHECKPOINT_VERSION} is known`,
      { version },
    );
  }
  const upstreamOffset = reader.readInt64("upstreamOffset");
  const downstreamOffset = reader.readInt64("downstreamOffset");
  const metadata = reader.readString("metadata");
  return { upstreamOffset, downstreamOffset, metadata };
}

/** Decodes one record of a checkpoints topic (`Checkpoint.deserializeRecord`). */
export function decodeCheckpoint(record: {
  key: Uint8Array | null | undefined;
  value: Uint8Array | null | undefined;
}): Checkpoint {
  const value = decodeCheckpointValue(record.value);
  return { ...decodeCheckpointKey(record.key), ...value };
}
