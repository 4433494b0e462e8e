import type { MetricsHistory } from "@mirrordeck/db";

/** The per-minute metrics history keeps this much; any worker prunes it (idempotent). */
export const METRICS_RETENTION_MS = 24 * 3600_000;
export const METRICS_PRUNE_INTERVAL_MS = 10 * 60_000;

/** Deletes the minutes older than the retention at `now`; returns how many rows went. */
export function pruneMetricsHistory(history: MetricsHistory, now = Date.now()): Promise<number> {
  return history.prune(new Date(now - METRICS_RETENTION_MS));
}
