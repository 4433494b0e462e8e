import type { ClusterHealth } from "@mirrordeck/contracts";
import { describeCluster } from "@mirrordeck/kafka";
import { serverEnv } from "./env.ts";

const TTL_MS = 5_000;
const cache = new Map<string, { at: number; health: Promise<ClusterHealth> }>();

/** Cluster health, shared by concurrent requests and reused for a few seconds. */
export function cachedClusterHealth(alias: string, bootstrapServers: string): Promise<ClusterHealth> {
  const key = `${alias}|${bootstrapServers}`;
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.health;
  const health = describeCluster({ alias, bootstrapServers }, serverEnv().KAFKA_ADMIN_TIMEOUT_MS);
  cache.set(key, { at: Date.now(), health });
  return health;
}
