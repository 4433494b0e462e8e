import { WORKER_PRESENCE_PREFIX } from "@mirrordeck/contracts";
import type { Redis } from "ioredis";

const TTL_SECONDS = 15;

/** Keeps `mirrordeck:worker:<id>` alive in Redis while this process runs (readiness, task balance). */
export function startWorkerPresence(redis: Redis, workerId: string): { stop: () => Promise<void> } {
  const key = `${WORKER_PRESENCE_PREFIX}${workerId}`;
  const beat = () =>
    redis
      .set(
        key,
        JSON.stringify({ workerId, pid: process.pid, seenAt: new Date().toISOString() }),
        "EX",
        TTL_SECONDS,
      )
      .catch(() => {});
  void beat();
  const timer = setInterval(beat, 5_000);
  return {
    stop: async () => {
      clearInterval(timer);
      await redis.del(key).catch(() => {});
    },
  };
}
