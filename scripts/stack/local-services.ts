// Postgres and Redis, the machine's own services that the stack only ensures are running.
import { ensurePostgres, type PostgresStatus, postgresStatus } from "./postgres.ts";
import type { Reporter } from "./progress.ts";
import { ensureRedis, type RedisStatus, redisStatus } from "./redis.ts";
import type { StackConfig } from "./stack-config.ts";

export interface LocalServicesStatus {
  postgres: PostgresStatus;
  redis: RedisStatus;
}

export async function ensureLocalServices(config: StackConfig, report: Reporter): Promise<void> {
  const results = await Promise.allSettled([ensurePostgres(config, report), ensureRedis(config, report)]);
  const failure = results.find((result) => result.status === "rejected");
  if (failure) throw failure.reason;
}

export async function localServicesStatus(config: StackConfig): Promise<LocalServicesStatus> {
  const [postgres, redis] = await Promise.all([postgresStatus(config), redisStatus(config)]);
  return { postgres, redis };
}
