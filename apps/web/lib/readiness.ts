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

/**
 * What an operator should know when the control plane is degraded, one sentence per failing part
 * (the banner on every page shows them). Replication runs in the workers and keeps going through a
 * Postgres or Redis outage; what stops is said plainly.
 */
export function degradedMessages(checks: ReadinessChecks): string[] {
  const messages: string[] = [];
  if (!checks.postgres.ok) {
    messages.push(
      `Postgres is unreachable (${checks.postgres.error}). Replication goes on; settings and history cannot be read or changed until it is back, and the workers save their state then.`,
    );
  }
  if (!checks.redis.ok) {
    messages.push(
      `Redis is unreachable (${checks.redis.error}). Replication goes on; live metrics and start or pause requests wait until it is back.`,
    );
  } else if (!checks.workers.ok) {
    messages.push(`No worker is running: nothing is being replicated (${checks.workers.error}).`);
  }
  return messages;
}
