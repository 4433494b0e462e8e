// Readiness of the control plane: what `GET /api/v1/ready` reports, in words.

export interface DependencyCheck {
  ok: boolean;
  /** Why not, for an operator; null when ok. */
  error: string | null;
}

export interface ReadinessChecks {
  postgres: DependencyCheck;
  redis: DependencyCheck;
  /** Workers whose presence heartbeat is alive in Redis. */
  workers: DependencyCheck & { count: number };
}

/** Ready when Postgres and Redis answer and at least one worker is alive. */
export function isReady(checks: ReadinessChecks): boolean {
  return checks.postgres.ok && checks.redis.ok && checks.workers.ok;
}

export function workerCheck(count: number | null, redisError: string | null): ReadinessChecks["workers"] {
  if (count === null)
    return { ok: false, count: 0, error: `worker presence unknown: ${redisError ?? "Redis did not answer"}` };
  if (count === 0)
    return { ok: false, count, error: "no worker is running (none has reported in the last 15 s)" };
  return { ok: true, count, error: null };
}
