import { Redis } from "ioredis";
import { serverEnv } from "./env.ts";

const globalForRedis = globalThis as unknown as { mirrordeckRedis?: Redis };

/** One Redis connection per server process for reads (live metrics, worker presence). */
export function redis(): Redis {
  globalForRedis.mirrordeckRedis ??= new Redis(serverEnv().REDIS_URL, {
    maxRetriesPerRequest: 2,
    lazyConnect: false,
  });
  return globalForRedis.mirrordeckRedis;
}
