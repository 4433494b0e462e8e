import type { ClusterHealth } from "@mirrordeck/contracts";
import type { Cluster } from "@mirrordeck/db";
import { describeCluster } from "@mirrordeck/kafka";
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
    (error: unknown): ClusterHealth => ({
      reachable: false,
      brokerCount: null,
      controllerId: null,
      clusterId: null,
      topicCount: null,
      kafkaVersion: null,
      error: {
        code:
          (error as Error).name === "ClusterCredentialsMissing"
            ? "CLUSTER_AUTH_FAILED"
            : ((error as { code?: string }).code ?? "INTERNAL"),
        message: (error as Error).message,
      },
    }),
  );
  cache.set(key, { at: Date.now(), health });
  return health;
}
