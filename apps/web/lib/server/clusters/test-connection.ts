import { type ClusterConnection, describeCluster } from "@mirrordeck/kafka";
import { serverEnv } from "../env.ts";

export interface ConnectionTestResult {
  reachable: boolean;
  /** True when the cluster accepted our credentials (or needs none). */
  authenticated: boolean;
  brokerCount: number | null;
  controllerId: number | null;
  clusterId: string | null;
  topicCount: number | null;
  /** Implied by the APIs the first broker advertises (Kafka does not send its version). */
  kafkaVersion: string | null;
  elapsedMs: number;
  error: { code: string; message: string } | null;
}

/** Connects now (no cache) and reports what the cluster said, within the admin timeout. */
export async function testConnection(cluster: ClusterConnection): Promise<ConnectionTestResult> {
  const started = performance.now();
  const health = await describeCluster(cluster, serverEnv().KAFKA_ADMIN_TIMEOUT_MS);
  return {
    reachable: health.reachable || health.error?.code === "CLUSTER_AUTH_FAILED",
    authenticated: health.reachable,
    brokerCount: health.brokerCount,
    controllerId: health.controllerId,
    clusterId: health.clusterId,
    topicCount: health.topicCount,
    kafkaVersion: health.kafkaVersion,
    elapsedMs: Math.round(performance.now() - started),
    error: health.error,
  };
}
