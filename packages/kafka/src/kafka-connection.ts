import { Kafka, type KafkaConfig, logLevel } from "kafkajs";

export interface ClusterConnection {
  alias: string;
  bootstrapServers: string;
}

/** A kafkajs client for one cluster; quiet by default (errors surface as our own, translated). */
export function createKafka(cluster: ClusterConnection, overrides: Partial<KafkaConfig> = {}): Kafka {
  return new Kafka({
    clientId: `mirrordeck-${cluster.alias}`,
    brokers: cluster.bootstrapServers.split(","),
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3_000,
    requestTimeout: 10_000,
    ...overrides,
  });
}
