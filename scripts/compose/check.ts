// `npm run compose:check`: validates docker-compose.yml with `docker-compose config` (Debian's
// docker-compose package; no Docker daemon is needed). Exit 3 when no docker-compose is installed.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { repoRoot } from "../db/paths.ts";

const COMPOSE_MISSING = 3; // scripts/test-all.ts counts it as skipped

const file = path.join(repoRoot, "docker-compose.yml");
const env = {
  ...process.env,
  // The file refuses to start without a key; any well-formed one validates.
  MIRRORDECK_SECRET_KEY: process.env.MIRRORDECK_SECRET_KEY ?? randomBytes(32).toString("base64"),
};
const result = spawnSync("docker-compose", ["-f", file, "config", "-q"], { env, encoding: "utf8" });
if (result.error && (result.error as NodeJS.ErrnoException).code === "ENOENT") {
  console.error("compose:check: docker-compose is not installed (apt-get install -y docker-compose)");
  process.exit(COMPOSE_MISSING);
}
if (result.status !== 0) {
  console.error(`compose:check: docker-compose.yml is invalid:\n${result.stderr.trim()}`);
  process.exit(1);
}
console.log("compose:check: docker-compose.yml is valid (docker-compose config)");
