import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "../db/paths.ts";

const DEMO_ADMIN_EMAIL = "admin@mirrordeck.local";
const DEMO_ADMIN_PASSWORD = "mirrordeck-demo";

/**
 * Fills in what the demo's web server needs to start signed-in ready: the admin account (unless
 * set) and a secret key kept under the stack directory, so sealed secrets open on the next run.
 */
export function demoCredentials(): { email: string; password: string } {
  process.env.MIRRORDECK_ADMIN_EMAIL ??= DEMO_ADMIN_EMAIL;
  process.env.MIRRORDECK_ADMIN_PASSWORD ??= DEMO_ADMIN_PASSWORD;
  if (process.env.MIRRORDECK_SECRET_KEY === undefined) {
    const dir = path.resolve(repoRoot, process.env.MIRRORDECK_STACK_DIR ?? ".stack");
    const file = path.join(dir, "secret-key");
    if (!existsSync(file)) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(file, randomBytes(32).toString("base64"), { mode: 0o600 });
    }
    process.env.MIRRORDECK_SECRET_KEY = readFileSync(file, "utf8").trim();
  }
  return { email: process.env.MIRRORDECK_ADMIN_EMAIL, password: process.env.MIRRORDECK_ADMIN_PASSWORD };
}
