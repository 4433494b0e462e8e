import { randomBytes } from "node:crypto";
import pg from "pg";
import { applyMigrations } from "./apply-migrations.ts";
import {
  compareSchemaFacts,
  type DriftReport,
  schemaFactsFromDatabase,
  schemaFactsFromPrisma,
} from "./schema-drift.ts";

/**
 * Builds a throw-away database from the SQL migrations and compares it with schema.prisma.
 * `databaseUrl` names any database on the server; the scratch database sits beside it.
 */
export async function checkSchemaDrift(options: {
  databaseUrl: string;
  schemaPath: string;
  migrationsDir: string;
}): Promise<DriftReport> {
  const scratchName = `mirrordeck_drift_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: options.databaseUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${scratchName}"`);
    const scratchUrl = new URL(options.databaseUrl);
    scratchUrl.pathname = `/${scratchName}`;
    await applyMigrations(scratchUrl.toString(), options.migrationsDir);
    const scratch = new pg.Client({ connectionString: scratchUrl.toString() });
    await scratch.connect();
    try {
      const [expected, actual] = await Promise.all([
        schemaFactsFromPrisma(options.schemaPath),
        schemaFactsFromDatabase(scratch),
      ]);
      return compareSchemaFacts(expected, actual);
    } finally {
      await scratch.end();
    }
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${scratchName}" WITH (FORCE)`).catch(() => {});
    await admin.end();
  }
}
