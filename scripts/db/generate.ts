// `npm run db:generate`: Prisma 7's generator needs no engine, but its CLI insists that a schema
// engine binary path exists; point it at this file when none is installed (offline machines).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { repoRoot } from "./paths.ts";

const env = { ...process.env };
if (!env.PRISMA_SCHEMA_ENGINE_BINARY || !existsSync(env.PRISMA_SCHEMA_ENGINE_BINARY)) {
  env.PRISMA_SCHEMA_ENGINE_BINARY = fileURLToPath(import.meta.url);
}
env.PRISMA_HIDE_UPDATE_MESSAGE = "1";
const result = spawnSync("npx", ["prisma", "generate"], { cwd: repoRoot, env, stdio: "inherit" });
process.exit(result.status ?? 1);
