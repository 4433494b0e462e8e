import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { migrationsDir, schemaPath } from "../../../../scripts/db/paths.ts";
import { createScratchDatabase, testDatabaseUrl } from "../../../../scripts/test-support/scratch-database.ts";
import { applyMigrations, MigrationError } from "./apply-migrations.ts";
import { checkSchemaDrift } from "./check-schema-drift.ts";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

describe("applyMigrations", () => {
  it("applies every migration once and records it, so a second run applies nothing", async () => {
    const db = await createScratchDatabase();
    cleanups.push(db.drop);
    const first = await applyMigrations(db.url, migrationsDir);
    expect(first.applied.length).toBeGreaterThan(0);
    const second = await applyMigrations(db.url, migrationsDir);
    expect(second.applied).toEqual([]);
    expect(second.alreadyApplied).toEqual(first.applied);

    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const { rows } = await client.query(
      `SELECT to_regclass('public.flow') AS t, count(*)::int AS n FROM "_prisma_migrations"`,
    );
    await client.end();
    expect(rows[0]).toEqual({ t: "flow", n: first.applied.length });
  });

  it("refuses to run when an applied migration file changed afterwards", async () => {
    const db = await createScratchDatabase();
    cleanups.push(db.drop);
    const dir = await mkdtemp(path.join(tmpdir(), "md-migrations-"));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    await cp(migrationsDir, dir, { recursive: true });
    const report = await applyMigrations(db.url, dir);
    const first = path.join(dir, report.applied[0]!, "migration.sql");
    await writeFile(first, `${await readFile(first, "utf8")}\n-- edited after the fact\n`);

    const error = await applyMigrations(db.url, dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MigrationError);
    expect((error as MigrationError).code).toBe("MIGRATION_CHECKSUM_MISMATCH");
  });
});

describe("checkSchemaDrift", () => {
  it("finds no drift between schema.prisma and the committed migrations", async () => {
    const report = await checkSchemaDrift({ databaseUrl: testDatabaseUrl, schemaPath, migrationsDir });
    expect(report).toEqual({ missingFromMigrations: [], missingFromSchema: [] });
  });

  it("reports a column that the schema has and no migration creates", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "md-schema-"));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const drifted = (await readFile(schemaPath, "utf8")).replace(
      "model FlowEvent {",
      "model FlowEvent {\n  severity  String?",
    );
    const driftedPath = path.join(dir, "schema.prisma");
    await writeFile(driftedPath, drifted);
    const report = await checkSchemaDrift({
      databaseUrl: testDatabaseUrl,
      schemaPath: driftedPath,
      migrationsDir,
    });
    expect(report.missingFromMigrations).toEqual(["column flow_event.severity text null"]);
    expect(report.missingFromSchema).toEqual([]);
  });
});
