import { type Env, loadEnv } from "@mirrordeck/config";

let cached: Env | undefined;

/** The validated environment, read once per server process. */
export function serverEnv(): Env {
  cached ??= loadEnv();
  return cached;
}
