import { Redis } from "ioredis";
import pg from "pg";
import { createDatabase, createUser } from "../packages/db/src/index.ts";
import { applyMigrations } from "../packages/db/src/migrations/index.ts";
import { hashPassword } from "../packages/security/src/index.ts";
import { migrationsDir } from "../scripts/db/paths.ts";
import { seedDemo } from "../scripts/demo/seed-demo.ts";
import { stackUp } from "../scripts/stack/index.ts";
import { e2eAdmin, e2eDatabaseUrl, eastBootstrap, westBootstrap } from "./e2e-env.ts";

/** Real stack, fresh e2e database, demo clusters and flow registered. */
export default async function globalSetup(): Promise<void> {
  await stackUp();
  const url = new URL(e2eDatabaseUrl);
  const name = url.pathname.slice(1);
  url.pathname = "/postgres";
  const admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  await applyMigrations(e2eDatabaseUrl, migrationsDir);
  await seedDemo(e2eDatabaseUrl, { eastBootstrap, westBootstrap });
  await createAdmin();
  await forgetSignInAttempts();
}

/**
 * The web server starts before this setup recreates its database, so its first-start admin is
 * gone: create the same account here, whatever a test does first.
 */
async function createAdmin(): Promise<void> {
  const db = createDatabase(e2eDatabaseUrl, { maxConnections: 1 });
  try {
    await createUser(db, {
      email: e2eAdmin.email,
      passwordHash: await hashPassword(e2eAdmin.password),
      role: "ADMIN",
    });
  } finally {
    await db.$disconnect();
  }
}

/** Redis outlives test runs: start without sign-in attempts counted by an earlier run. */
async function forgetSignInAttempts(): Promise<void> {
  const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
  try {
    const keys = await redis.keys("mirrordeck:login-failures:*");
    if (keys.length > 0) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}
