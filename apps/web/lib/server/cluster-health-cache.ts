import type { ClusterHealth } from "@mirrordeck/contracts";
import type { Cluster } from "@mirrordeck/db";
import { describeCluster, unreachableHealth } from "@mirrordeck/kafka";
import { clusterConnection } from "./clusters/cluster-mapping.ts";
import { serverEnv } from "./env.ts";

const TTL_MS = 5_000;
const cache = new Map<string, { at: number; health: Promise<ClusterHealth> }>();

/** Cluster health, shared by concurrent requests and reused for a few seconds. */
export function cachedClusterHealth(cluster: Cluster): Promise<ClusterHealth> {
  const key = `${cluster.id}|${cluster.version}`;
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.health;
  const health = (async () =>
    describeCluster(clusterConnection(cluster), serverEnv().KAFKA_ADMIN_TIMEOUT_MS))().catch(
    // Opening the cluster's secrets can fail before anything is asked of the brokers.
    (error: unknown): ClusterHealth =>
      unreachableHealth(
        (error as Error).name === "ClusterCredentialsMissing"
          ? "CLUSTER_AUTH_FAILED"
          : ((error as { code?: string }).code ?? "INTERNAL"),
        (error as Error).message,
      ),
  );
  cache.set(key, { at: Date.now(), health });
  return health;
}
