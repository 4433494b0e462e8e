import { createDatabase, type Database } from "@mirrordeck/db";
import { serverEnv } from "./env.ts";

const globalForDb = globalThis as unknown as { mirrordeckDb?: Database };

/** One Prisma client per server process (kept across hot reloads in development). */
export function database(): Database {
  globalForDb.mirrordeckDb ??= createDatabase(serverEnv().DATABASE_URL);
  return globalForDb.mirrordeckDb;
}
