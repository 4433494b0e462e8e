// The end-of-scenario check: the source topic and its remote topic read back in full and compared
// partition by partition. Values are unique on the source (the producer never reuses an index), so
// a value names one record: a repeat on the target is a duplicate, a value missing is a loss.
import { readTopicToEnd } from "../../packages/replication/src/kafkajs/read-topic-to-end.ts";
import { kafkaFor, partitionDigests, type ReadRecord } from "../../scripts/test-support/kafka-records.ts";

export interface PartitionCheck {
  partition: number;
  source: number;
  /** Distinct source records found on the target. */
  replicated: number;
  lost: number;
  duplicates: number;
  /** Target records in another order than on the source (first occurrences compared). */
  outOfOrder: boolean;
  /** Where the order first differs, for the report: "#i: source v, target w (target offset o)". */
  firstDisorder: string | null;
  /** Target records that are not on the source at all. */
  foreign: number;
  /** sha256 over key, value, headers and timestamp of the source records and of their copies. */
  sourceDigest: string;
  replicaDigest: string;
}

export interface ReplicaCheck {
  partitions: PartitionCheck[];
  source: number;
  replicated: number;
  lost: number;
  duplicates: number;
  outOfOrder: number;
  foreign: number;
  digestsMatch: boolean;
  /** Values of source records that are missing on the target. */
  missing: string[];
}

/**
 * The topic as a read_committed consumer sees it, to its end: in exactly-once mode the aborted
 * copies (and transaction markers) are on the target too, and must not count.
 */
export async function readTopic(bootstrap: string, topic: string): Promise<ReadRecord[]> {
  const records: ReadRecord[] = [];
  await readTopicToEnd(
    kafkaFor(bootstrap),
    topic,
    (m, partition) =>
      records.push({
        partition,
        offset: Number(m.offset),
        key: m.key,
        value: m.value,
        timestamp: m.timestamp,
        headers: m.headers ?? {},
      }),
    { timeoutMs: 120_000 },
  );
  return records.sort((a, b) => a.partition - b.partition || a.offset - b.offset);
}

export function compareReplica(source: ReadRecord[], target: ReadRecord[]): ReplicaCheck {
  const byPartition = (records: ReadRecord[]) => {
    const map = new Map<number, ReadRecord[]>();
    for (const r of records) {
      const list = map.get(r.partition) ?? [];
      list.push(r);
      map.set(r.partition, list);
    }
    return map;
  };
  const sources = byPartition(source);
  const targets = byPartition(target);
  const partitions: PartitionCheck[] = [];
  const missing: string[] = [];
  for (const partition of new Set([...sources.keys(), ...targets.keys()])) {
    const want = sources.get(partition) ?? [];
    const got = targets.get(partition) ?? [];
    const wanted = new Set(want.map(recordValue));
    const seen = new Set<string>();
    const firsts: ReadRecord[] = [];
    let duplicates = 0;
    let foreign = 0;
    for (const record of got) {
      const value = recordValue(record);
      if (!wanted.has(value)) foreign += 1;
      else if (seen.has(value)) duplicates += 1;
      else {
        seen.add(value);
        firsts.push(record);
      }
    }
    const lostHere = want.filter((r) => !seen.has(recordValue(r)));
    missing.push(...lostHere.slice(0, 20).map(recordValue));
    const present = want.filter((r) => seen.has(recordValue(r)));
    const at = present.findIndex((r, i) => recordValue(r) !== recordValue(firsts[i]!));
    const outOfOrder = at >= 0;
    const firstDisorder = outOfOrder
      ? `#${at}: source ${recordValue(present[at]!)}, target ${recordValue(firsts[at]!)} (target offset ${firsts[at]!.offset})`
      : null;
    partitions.push({
      partition,
      source: want.length,
      replicated: seen.size,
      lost: lostHere.length,
      duplicates,
      outOfOrder,
      firstDisorder,
      foreign,
      sourceDigest: digestOf(want, partition),
      replicaDigest: digestOf(firsts, partition),
    });
  }
  partitions.sort((a, b) => a.partition - b.partition);
  const sum = (f: (p: PartitionCheck) => number) => partitions.reduce((s, p) => s + f(p), 0);
  return {
    partitions,
    source: sum((p) => p.source),
    replicated: sum((p) => p.replicated),
    lost: sum((p) => p.lost),
    duplicates: sum((p) => p.duplicates),
    outOfOrder: sum((p) => (p.outOfOrder ? 1 : 0)),
    foreign: sum((p) => p.foreign),
    digestsMatch: partitions.every((p) => p.lost > 0 || p.sourceDigest === p.replicaDigest),
    missing,
  };
}

function recordValue(record: ReadRecord): string {
  return record.value?.toString("latin1") ?? "<null>";
}

/** The digest of a partition's records as one list (the partition number itself left out). */
function digestOf(records: ReadRecord[], partition: number): string {
  return partitionDigests(records.map((r) => ({ ...r, partition }))).get(partition)?.digest ?? "empty";
}
