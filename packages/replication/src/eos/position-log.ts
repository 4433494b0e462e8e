import { type ClusterConnection, createKafka } from "@mirrordeck/kafka";
import { readTopicToEnd } from "../kafkajs/read-topic-to-end.ts";
import { decodePositionRecord, positionsTopic } from "./position-records.ts";

/** `topic\u0000partition` → next offset, as {@link readFlowPositions} returns them. */
export type FlowPositions = Map<string, number>;

export const positionKey = (topic: string, partition: number) => `${topic}\u0000${partition}`;

/**
 * The flow's committed positions in exactly-once mode: the positions topic on the target read to
 * its last stable offset with read_committed (kafkajs's default), so an aborted transaction — a
 * fenced writer's — is never seen. The last record of a key wins, as compaction keeps it.
 * Empty when the topic does not exist yet (nothing was ever committed).
 */
export async function readFlowPositions(
  target: ClusterConnection,
  sourceAlias: string,
  flowId: string,
  timeoutMs = 60_000,
): Promise<FlowPositions> {
  const positions: FlowPositions = new Map();
  try {
    await readTopicToEnd(
      createKafka(target),
      positionsTopic(sourceAlias),
      (record) => {
        const p = decodePositionRecord(record.key, record.value, flowId);
        if (p !== null) positions.set(positionKey(p.topic, p.partition), p.nextOffset);
      },
      { timeoutMs, groupPrefix: `__mirrordeck.${flowId}.positions` },
    );
  } catch (error) {
    if (/does not host this topic-partition|UNKNOWN_TOPIC_OR_PARTITION/i.test(String(error)))
      return positions;
    throw error;
  }
  return positions;
}
