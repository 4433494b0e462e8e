import type { Database } from "../client.ts";

// These shapes mirror `SourcePartition`, `ClaimedPosition`, `PositionCommit` and `PositionStore` in
// packages/replication/src/ports/position-store.ts. @mirrordeck/db must not depend on the
// replication engine, so nothing is imported from it: the worker passes a PgPositionStore where a
// PositionStore is expected, and TypeScript's structural typing checks that it fits there.

/** A source topic-partition of a flow. */
export interface StoredPartition {
  topic: string;
  partition: number;
}

/** The last record copied from a partition (offset and digest), checked again on a claim. */
export interface StoredRecordMark {
  offset: number;
  digest: string;
}

/** Where a claiming worker resumes, and the epoch that fences its later commits. */
export interface ClaimedStoredPosition extends StoredPartition {
  nextOffset: number | null;
  epoch: number;
  lastCopied: StoredRecordMark | null;
}

export interface StoredPositionCommit extends StoredPartition {
  nextOffset: number;
  epoch: number;
  lastCopied?: StoredRecordMark | null;
}

export interface StoredPosition extends StoredPartition {
  nextOffset: number | null;
  owner: string | null;
}

interface ClaimRow {
  topic: string;
  partition: number;
  next_offset: bigint | null;
  owner_epoch: bigint;
  last_copied_offset: bigint | null;
  last_copied_digest: string | null;
}

const keyOf = (p: StoredPartition) => `${p.partition}:${p.topic}`;

/**
 * Replication positions in Postgres (`replication_position`), fenced by an owner epoch. Each
 * method is a single SQL statement whatever the number of partitions (arrays are passed whole and
 * expanded with `unnest`), so claiming or committing 1,000 partitions is one round trip.
 */
export class PgPositionStore {
  constructor(private readonly db: Database) {}

  /**
   * Takes ownership of the partitions for `owner`: a new row starts at epoch 1 with no position;
   * an existing row gets the new owner and its epoch + 1, keeping its position. Returned in the
   * order the partitions were given (duplicates collapsed).
   */
  async claim(
    flowId: string,
    owner: string,
    partitions: StoredPartition[],
  ): Promise<ClaimedStoredPosition[]> {
    const unique = [...new Map(partitions.map((p) => [keyOf(p), p])).values()];
    if (unique.length === 0) return [];
    const rows = await this.db.$queryRaw<ClaimRow[]>`
      INSERT INTO "replication_position" AS p ("flow_id", "topic", "partition", "owner", "owner_epoch", "updated_at")
      SELECT ${flowId}::uuid, v.topic, v.partition, ${owner}, 1, now()
      FROM unnest(${unique.map((p) => p.topic)}::text[], ${unique.map((p) => p.partition)}::int[]) AS v(topic, partition)
      ON CONFLICT ("flow_id", "topic", "partition") DO UPDATE
        SET "owner" = EXCLUDED."owner", "owner_epoch" = p."owner_epoch" + 1, "updated_at" = now()
      RETURNING p."topic", p."partition", p."next_offset", p."owner_epoch", p."last_copied_offset", p."last_copied_digest"`;
    const byKey = new Map(rows.map((r) => [keyOf(r), r]));
    return unique.map((p) => {
      const row = byKey.get(keyOf(p));
      if (!row) throw new Error(`claim returned no row for ${p.topic}-${p.partition}`);
      return {
        topic: p.topic,
        partition: p.partition,
        nextOffset: row.next_offset === null ? null : Number(row.next_offset),
        epoch: Number(row.owner_epoch),
        lastCopied:
          row.last_copied_offset === null || row.last_copied_digest === null
            ? null
            : { offset: Number(row.last_copied_offset), digest: row.last_copied_digest },
      };
    });
  }

  /**
   * Writes each position whose epoch is still the partition's current epoch (any direction: an
   * owner may rewind). Returns the partitions that were not written because they were claimed
   * since, or never claimed. When a partition appears more than once, its last commit counts.
   */
  async commit(flowId: string, commits: StoredPositionCommit[]): Promise<StoredPartition[]> {
    const unique = [...new Map(commits.map((c) => [keyOf(c), c])).values()];
    if (unique.length === 0) return [];
    for (const c of unique) {
      if (!Number.isSafeInteger(c.nextOffset) || c.nextOffset < 0) {
        throw new RangeError(
          `nextOffset of ${c.topic}-${c.partition} must be a non-negative integer, got ${c.nextOffset}`,
        );
      }
    }
    const written = await this.db.$queryRaw<StoredPartition[]>`
      UPDATE "replication_position" AS p
      SET "next_offset" = v.next_offset, "last_copied_offset" = v.copied_offset,
          "last_copied_digest" = v.copied_digest, "updated_at" = now()
      FROM unnest(
        ${unique.map((c) => c.topic)}::text[],
        ${unique.map((c) => c.partition)}::int[],
        ${unique.map((c) => c.nextOffset)}::bigint[],
        ${unique.map((c) => c.epoch)}::bigint[],
        ${unique.map((c) => c.lastCopied?.offset ?? null)}::bigint[],
        ${unique.map((c) => c.lastCopied?.digest ?? null)}::text[]
      ) AS v(topic, partition, next_offset, epoch, copied_offset, copied_digest)
      WHERE p."flow_id" = ${flowId}::uuid
        AND p."topic" = v.topic
        AND p."partition" = v.partition
        AND p."owner_epoch" = v.epoch
      RETURNING p."topic", p."partition"`;
    const done = new Set(written.map(keyOf));
    return unique.filter((c) => !done.has(keyOf(c))).map((c) => ({ topic: c.topic, partition: c.partition }));
  }

  /** Every position of the flow with its current owner, by topic then partition; claims nothing. */
  async read(flowId: string): Promise<StoredPosition[]> {
    const rows = await this.db.replicationPosition.findMany({
      where: { flowId },
      select: { topic: true, partition: true, nextOffset: true, owner: true },
      orderBy: [{ topic: "asc" }, { partition: "asc" }],
    });
    return rows.map((r) => ({
      topic: r.topic,
      partition: r.partition,
      nextOffset: r.nextOffset === null ? null : Number(r.nextOffset),
      owner: r.owner,
    }));
  }

  recordWatermarks(flowId: string, marks: SourceWatermark[]): Promise<void> {
    return recordSourceWatermarks(this.db, flowId, marks);
  }

  /** Deletes every position of the flow (the flow was deleted or reset). */
  async forget(flowId: string): Promise<void> {
    await this.db.$executeRaw`DELETE FROM "replication_position" WHERE "flow_id" = ${flowId}::uuid`;
  }
}

/** What a position's owner last saw of its source partition (failover's loss estimate). */
export interface SourceWatermark extends StoredPartition {
  sourceEndOffset: number;
  /** Source timestamp (epoch ms) of the newest record copied, if any. */
  lastCopiedTimestamp: number | null;
  epoch: number;
}

export interface PositionWithWatermark extends StoredPosition {
  sourceEndOffset: number | null;
  sourceEndAt: Date | null;
  lastCopiedTimestamp: Date | null;
}

/** Records owners' source watermarks (fenced like commits); one statement for all partitions. */
export async function recordSourceWatermarks(
  db: Database,
  flowId: string,
  marks: SourceWatermark[],
): Promise<void> {
  if (marks.length === 0) return;
  await db.$executeRaw`
    UPDATE "replication_position" AS p
    SET "source_end_offset" = v.source_end,
        "source_end_at" = now(),
        "last_copied_timestamp" = COALESCE(to_timestamp(v.copied_ts / 1000.0), p."last_copied_timestamp")
    FROM unnest(
      ${marks.map((m) => m.topic)}::text[],
      ${marks.map((m) => m.partition)}::int[],
      ${marks.map((m) => m.sourceEndOffset)}::bigint[],
      ${marks.map((m) => m.lastCopiedTimestamp)}::float8[],
      ${marks.map((m) => m.epoch)}::bigint[]
    ) AS v(topic, partition, source_end, copied_ts, epoch)
    WHERE p."flow_id" = ${flowId}::uuid AND p."topic" = v.topic AND p."partition" = v.partition
      AND p."owner_epoch" = v.epoch`;
}

/** Positions with their last-seen source watermarks, by topic then partition. */
export async function readPositionsWithWatermarks(
  db: Database,
  flowId: string,
): Promise<PositionWithWatermark[]> {
  const rows = await db.replicationPosition.findMany({
    where: { flowId, NOT: { topic: { startsWith: "#" } } },
    orderBy: [{ topic: "asc" }, { partition: "asc" }],
  });
  return rows.map((r) => ({
    topic: r.topic,
    partition: r.partition,
    nextOffset: r.nextOffset === null ? null : Number(r.nextOffset),
    owner: r.owner,
    sourceEndOffset: r.sourceEndOffset === null ? null : Number(r.sourceEndOffset),
    sourceEndAt: r.sourceEndAt,
    lastCopiedTimestamp: r.lastCopiedTimestamp,
  }));
}

/**
 * Sets where a flow resumes on each partition, fencing whoever held it (epoch + 1): a reverse
 * flow created by a failover starts at the current end of its source.
 */
export async function overwritePositions(
  db: Database,
  flowId: string,
  positions: (StoredPartition & { nextOffset: number })[],
): Promise<void> {
  if (positions.length === 0) return;
  await db.$executeRaw`
    INSERT INTO "replication_position" AS p ("flow_id", "topic", "partition", "next_offset", "owner_epoch", "updated_at")
    SELECT ${flowId}::uuid, v.topic, v.partition, v.next_offset, 0, now()
    FROM unnest(
      ${positions.map((p) => p.topic)}::text[],
      ${positions.map((p) => p.partition)}::int[],
      ${positions.map((p) => p.nextOffset)}::bigint[]
    ) AS v(topic, partition, next_offset)
    ON CONFLICT ("flow_id", "topic", "partition") DO UPDATE
      SET "next_offset" = EXCLUDED."next_offset", "owner_epoch" = p."owner_epoch" + 1,
          "last_copied_offset" = NULL, "last_copied_digest" = NULL, "updated_at" = now()`;
}
