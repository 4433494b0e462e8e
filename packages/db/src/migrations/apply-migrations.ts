import { randomUUID } from "node:crypto";
import pg from "pg";
import { type MigrationFile, readMigrationFiles } from "./migration-files.ts";

export class MigrationError extends Error {
  constructor(
    readonly code: "MIGRATION_CHECKSUM_MISMATCH" | "MIGRATION_FAILED" | "MIGRATION_UNKNOWN",
    message: string,
  ) {
    super(message);
    this.name = "MigrationError";
  }
}

export interface MigrationReport {
  applied: string[];
  alreadyApplied: string[];
}

// Same table and columns as Prisma Migrate, so `prisma migrate deploy` sees our work as its own.
const MIGRATIONS_TABLE_SQL = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

// Arbitrary but fixed: serialises concurrent migrate runs (web and worker both start).
const MIGRATION_LOCK_ID = 72_707_369;

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
}

/**
 * Applies pending SQL migrations in name order, each in its own transaction, recording them in
 * `_prisma_migrations`. Refuses to run when an applied migration's file has changed since.
 */
export async function applyMigrations(
  databaseUrl: string,
  migrationsDir: string,
  log: (line: string) => void = () => {},
): Promise<MigrationReport> {
  const files = await readMigrationFiles(migrationsDir);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_ID]);
    await client.query(MIGRATIONS_TABLE_SQL);
    const { rows } = await client.query<AppliedRow>(
      `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL`,
    );
    const applied = new Map(rows.map((r) => [r.migration_name, r]));
    verifyAppliedUnchanged(files, applied);

    const report: MigrationReport = { applied: [], alreadyApplied: [] };
    for (const file of files) {
      if (applied.get(file.name)?.finished_at) {
        report.alreadyApplied.push(file.name);
        continue;
      }
      log(`applying ${file.name}`);
      await applyOne(client, file);
      report.applied.push(file.name);
    }
    return report;
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_ID]).catch(() => {});
    await client.end();
  }
}

function verifyAppliedUnchanged(files: MigrationFile[], applied: Map<string, AppliedRow>): void {
  const byName = new Map(files.map((f) => [f.name, f]));
  for (const row of applied.values()) {
    const file = byName.get(row.migration_name);
    if (!file) {
      throw new MigrationError(
        "MIGRATION_UNKNOWN",
        `Migration ${row.migration_name} is recorded in the database but its folder is missing from prisma/migrations.`,
      );
    }
    if (file.checksum !== row.checksum) {
      throw new MigrationError(
        "MIGRATION_CHECKSUM_MISMATCH",
        `Migration ${row.migration_name} was changed after it was applied (checksum ${row.checksum.slice(0, 12)}… in the database, ${file.checksum.slice(0, 12)}… on disk). Add a new migration instead of editing an applied one.`,
      );
    }
    if (!row.finished_at) {
      throw new MigrationError(
        "MIGRATION_FAILED",
        `Migration ${row.migration_name} started earlier but never finished. Inspect the database, then delete its row from "_prisma_migrations" to retry.`,
      );
    }
  }
}

async function applyOne(client: pg.Client, file: MigrationFile): Promise<void> {
  const id = randomUUID();
  try {
    await client.query("BEGIN");
    await client.query(file.sql);
    await client.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, finished_at, applied_steps_count)
       VALUES ($1, $2, $3, now(), 1)`,
      [id, file.checksum, file.name],
    );
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    const reason = error instanceof Error ? error.message : String(error);
    throw new MigrationError(
      "MIGRATION_FAILED",
      `Migration ${file.name} failed and was rolled back: ${reason}`,
    );
  }
}
