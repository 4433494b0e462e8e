import { Mm2FormatError } from "./mm2-error.ts";
import {
  INT16_SIZE,
  INT64_SIZE,
  requireBytes,
  StructReader,
  stringSize,
  writeInt16,
  writeInt64,
  writeString,
} from "./struct-codec.ts";

/** A heartbeat emitted on a flow's target `heartbeats` topic (MM2's `Heartbeat`). */
export interface Heartbeat {
  sourceClusterAlias: string;
  targetClusterAlias: string;
  /** Epoch milliseconds. */
  timestamp: number;
}

/** Value schema version written and accepted (`Heartbeat.VERSION`). */
export const HEARTBEAT_VERSION = 0;

const VALUE_SIZE = INT16_SIZE + INT64_SIZE;

/** Key: sourceClusterAlias STRING, targetClusterAlias STRING (`Heartbeat.KEY_SCHEMA`). */
export function encodeHeartbeatKey(heartbeat: Heartbeat): Buffer {
  const size =
    stringSize(heartbeat.sourceClusterAlias, "sourceClusterAlias") +
    stringSize(heartbeat.targetClusterAlias, "targetClusterAlias");
  const buf = Buffer.allocUnsafe(size);
  const pos = writeString(buf, 0, heartbeat.sourceClusterAlias);
  writeString(buf, pos, heartbeat.targetClusterAlias);
  return buf;
}

/** Value: version INT16 = 0, timestamp INT64 (`Heartbeat.serializeValue`). */
export function encodeHeartbeatValue(heartbeat: Heartbeat): Buffer {
  const buf = Buffer.allocUnsafe(VALUE_SIZE);
  const pos = writeInt16(buf, 0, HEARTBEAT_VERSION, "version");
  writeInt64(buf, pos, heartbeat.timestamp, "timestamp");
  return buf;
}

export function decodeHeartbeatKey(key: Uint8Array | null | undefined): Omit<Heartbeat, "timestamp"> {
  const reader = new StructReader(requireBytes(key, "heartbeat key", "MM2_MISSING_KEY"), "heartbeat key");
  const sourceClusterAlias = reader.readString("sourceClusterAlias");
  const targetClusterAlias = reader.readString("targetClusterAlias");
  return { sourceClusterAlias, targetClusterAlias };
}

export function decodeHeartbeatValue(value: Uint8Array | null | undefined): Pick<Heartbeat, "timestamp"> {
  const reader = new StructReader(
    requireBytes(value, "heartbeat value", "MM2_MISSING_VALUE"),
    "heartbeat value",
  );
  const version = reader.readInt16("version");
  if (version !== HEARTBEAT_VERSION) {
    throw new Mm2FormatError(
      "MM2_UNSUPPORTED_VERSION",
      `heartbeat value has version ${version}; only version ${HEARTBEAT_VERSION} is known`,
      { version },
    );
  }
  return { timestamp: reader.readInt64("timestamp") };
}

/** Decodes one record of a heartbeats topic (`Heartbeat.deserializeRecord`). */
export function decodeHeartbeat(record: {
  key: Uint8Array | null | undefined;
  value: Uint8Array | null | undefined;
}): Heartbeat {
  const { timestamp } = decodeHeartbeatValue(record.value);
  return { ...decodeHeartbeatKey(record.key), timestamp };
}
