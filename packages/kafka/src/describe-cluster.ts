import { AppError, type ClusterHealth } from "@mirrordeck/contracts";
import { fetchApiVersions, inferKafkaVersion } from "./broker-api-versions.ts";
import { type ClusterConnection, createKafka } from "./kafka-connection.ts";

/**
 * Asks a cluster for its brokers, controller and topic count within `timeoutMs`.
 * Never throws: an unreachable cluster is a health fact, reported in words.
 */
export async function describeCluster(cluster: ClusterConnection, timeoutMs = 5_000): Promise<ClusterHealth> {
  const kafka = createKafka(cluster, { retry: { retries: 1, initialRetryTime: 200, maxRetryTime: 1_000 } });
  const admin = kafka.admin();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new AppError(
            "CLUSTER_UNREACHABLE",
            `No answer from ${cluster.alias} (${cluster.bootstrapServers}) within ${Math.round(timeoutMs / 100) / 10} s. Check that the brokers run and that this host can reach them.`,
          ),
        ),
      timeoutMs,
    );
  });
  try {
    const result = await Promise.race([
      (async () => {
        await admin.connect();
        const description = await admin.describeCluster();
        const topics = await admin.listTopics();
        // ApiVersions over plain TCP (allowed before SASL); TLS clusters are not probed.
        const tls = cluster.security?.protocol === "SSL" || cluster.security?.protocol === "SASL_SSL";
        const first = cluster.bootstrapServers.split(",")[0] ?? "";
        const versions = tls ? null : await fetchApiVersions(first, Math.min(timeoutMs, 2_000));
        return { description, topics, kafkaVersion: versions === null ? null : inferKafkaVersion(versions) };
      })(),
      deadline,
    ]);
    return {
      reachable: true,
      brokerCount: result.description.brokers.length,
      controllerId: result.description.controller,
      clusterId: result.description.clusterId,
      topicCount: result.topics.length,
      kafkaVersion: result.kafkaVersion,
      error: null,
    };
  } catch (error) {
    const appError = toAppError(cluster, error);
    return unreachableHealth(appError.code, appError.message);
  } finally {
    clearTimeout(timer);
    await admin.disconnect().catch(() => {});
  }
}

function toAppError(cluster: ClusterConnection, error: unknown): AppError {
  if (error instanceof AppError) return error;
  const name = error instanceof Error ? error.name : "";
  const message = error instanceof Error ? error.message : String(error);
  if (name === "KafkaJSSASLAuthenticationError" || /SASL|authenticat/i.test(message)) {
    return new AppError("CLUSTER_AUTH_FAILED", `${cluster.alias} refused our credentials: ${message}`);
  }
  return new AppError(
    "CLUSTER_UNREACHABLE",
    `Cannot reach ${cluster.alias} (${cluster.bootstrapServers}): ${message}. Check that the brokers run and that this host can reach them.`,
  );
}

/** The health of a cluster that could not be described, with why. */
export function unreachableHealth(code: string, message: string): ClusterHealth {
  return {
    reachable: false,
    brokerCount: null,
    controllerId: null,
    clusterId: null,
    topicCount: null,
    kafkaVersion: null,
    error: { code, message },
  };
}
