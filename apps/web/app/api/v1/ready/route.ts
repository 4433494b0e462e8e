import { WORKER_PRESENCE_PREFIX } from "@mirrordeck/contracts";
import { type DependencyCheck, isReady, type ReadinessChecks, workerCheck } from "@/lib/readiness.ts";
import { database } from "@/lib/server/database.ts";
import { defineRoute } from "@/lib/server/http/define-route.ts";
import { redis } from "@/lib/server/redis.ts";

export const dynamic = "force-dynamic";

const CHECK_TIMEOUT_MS = 2_000;

/** Readiness: Postgres and Redis answer, and at least one worker is alive. 503 says which is not. */
export const GET = defineRoute("ready.get", async () => {
  const [postgres, redisCheck, workerCount] = await Promise.all([
    check(() => database().$queryRaw`SELECT 1`),
    check(() => redis().ping()),
    withTimeout(countWorkers()).catch(() => null),
  ]);
  const checks: ReadinessChecks = {
    postgres,
    redis: redisCheck,
    workers: workerCheck(workerCount, redisCheck.error),
  };
  const ready = isReady(checks);
  return Response.json({ status: ready ? "ready" : "not-ready", checks }, { status: ready ? 200 : 503 });
});

async function check(probe: () => Promise<unknown>): Promise<DependencyCheck> {
  try {
    await withTimeout(probe());
    return { ok: true, error: null };
  } catch (error) {
    return { ok: false, error: (error as Error).message.split("\n")[0] ?? "unavailable" };
  }
}

async function countWorkers(): Promise<number> {
  let cursor = "0";
  let count = 0;
  do {
    const [next, keys] = await redis().scan(cursor, "MATCH", `${WORKER_PRESENCE_PREFIX}*`, "COUNT", 100);
    cursor = next;
    count += keys.length;
  } while (cursor !== "0");
  return count;
}

function withTimeout<T>(promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)),
        CHECK_TIMEOUT_MS,
      );
    }),
  ]).finally(() => clearTimeout(timer));
}
