/*
 * Exactly-once mode keeps a flow's source positions in a compacted topic on the target, written in
 * the same transaction as the records they cover (ADR 0015). One topic per source cluster, shared
 * by its flows (as MM2's `mm2-offsets.<source>.internal`); keyed by flow, topic and partition.
 */

/** `mirrordeck-positions.<source alias>.internal`: `.internal` keeps it out of MM2's default topic selection. */
export function positionsTopic(sourceAlias: string): string {
  return `mirrordeck-positions.${sourceAlias}.internal`;
}

export interface PositionRecord {
  flowId: string;
  topic: string;
  partition: number;
  /** The next source offset to copy. */
  nextOffset: number;
}

export function encodePositionKey(p: Pick<PositionRecord, "flowId" | "topic" | "partition">): Buffer {
  return Buffer.from(JSON.stringify({ flow: p.flowId, topic: p.topic, partition: p.partition }));
}

export function encodePositionValue(p: Pick<PositionRecord, "nextOffset">): Buffer {
  return Buffer.from(JSON.stringify({ nextOffset: p.nextOffset }));
}

/** The position a record holds, or null for another flow's, a tombstone or an unreadable one. */
export function decodePositionRecord(
  key: Buffer | null,
  value: Buffer | null,
  flowId: string,
): PositionRecord | null {
  if (key === null || value === null) return null;
  try {
    const k = JSON.parse(key.toString("utf8")) as { flow?: unknown; topic?: unknown; partition?: unknown };
    if (k.flow !== flowId || typeof k.topic !== "string" || !Number.isInteger(k.partition)) return null;
    const v = JSON.parse(value.toString("utf8")) as { nextOffset?: unknown };
    if (!Number.isSafeInteger(v.nextOffset) || (v.nextOffset as number) < 0) return null;
    return { flowId, topic: k.topic, partition: k.partition as number, nextOffset: v.nextOffset as number };
  } catch {
    return null;
  }
}
