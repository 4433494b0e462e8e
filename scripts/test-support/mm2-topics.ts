// Reads MM2's internal topics in tests, decoded from the layout in the compatibility doc
// independently of the engine's codecs, so a codec bug cannot hide itself.
import { kafkaFor, topicEndOffsets, uniqueName } from "./kafka-records.ts";

export interface DecodedCheckpoint {
  group: string;
  topic: string;
  partition: number;
  upstream: number;
  downstream: number;
  metadata: string;
  offset: number;
  /** Append time of the checkpoint record (producer create time). */
  timestamp: number;
}

export interface DecodedHeartbeat {
  source: string;
  target: string;
  timestamp: number;
}

function readString(buf: Buffer, pos: number): [string, number] {
  const length = buf.readInt16BE(pos);
  return [buf.subarray(pos + 2, pos + 2 + length).toString("utf8"), pos + 2 + length];
}

export function decodeCheckpointRecord(
  key: Buffer,
  value: Buffer,
  offset: number,
  timestamp: number,
): DecodedCheckpoint {
  const [group, afterGroup] = readString(key, 0);
  const [topic, afterTopic] = readString(key, afterGroup);
  const partition = key.readInt32BE(afterTopic);
  if (value.readInt16BE(0) !== 0) throw new Error("checkpoint value version is not 0");
  const upstream = Number(value.readBigInt64BE(2));
  const downstream = Number(value.readBigInt64BE(10));
  const [metadata] = readString(value, 18);
  return { group, topic, partition, upstream, downstream, metadata, offset, timestamp };
}

export function decodeHeartbeatRecord(key: Buffer, value: Buffer): DecodedHeartbeat {
  const [source, afterSource] = readString(key, 0);
  const [target] = readString(key, afterSource);
  if (value.readInt16BE(0) !== 0) throw new Error("heartbeat value version is not 0");
  return { source, target, timestamp: Number(value.readBigInt64BE(2)) };
}

/** Every record of a one-partition internal topic, in order (empty when the topic is empty). */
export async function readInternalTopic<T>(
  bootstrap: string,
  topic: string,
  decode: (key: Buffer, value: Buffer, offset: number, timestamp: number) => T,
): Promise<T[]> {
  const [high] = await topicEndOffsets(bootstrap, topic).catch(() => [0]);
  const records: T[] = [];
  if (!high) return records;
  const consumer = kafkaFor(bootstrap).consumer({
    groupId: uniqueName("internal-reader"),
    maxWaitTimeInMs: 200,
  });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await new Promise<void>((resolve) => {
    void consumer.run({
      autoCommit: false,
      eachMessage: async ({ message }) => {
        records.push(decode(message.key!, message.value!, Number(message.offset), Number(message.timestamp)));
        if (Number(message.offset) + 1 >= high) resolve();
      },
    });
  });
  await consumer.disconnect();
  return records;
}

/** The latest checkpoint per (group, topic, partition), as Java's MirrorClient keeps them. */
export function latestCheckpoints(checkpoints: DecodedCheckpoint[]): Map<string, DecodedCheckpoint> {
  const latest = new Map<string, DecodedCheckpoint>();
  for (const c of checkpoints) latest.set(`${c.group}/${c.topic}/${c.partition}`, c);
  return latest;
}
