// Side-effect import for script entry points: reads the repo's `.env` (if any) without
// overriding variables already set in the environment.
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const envFile = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../.env");
if (existsSync(envFile)) process.loadEnvFile(envFile);
