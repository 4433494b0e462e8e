import { Kafka, type KafkaConfig, logLevel, type SASLOptions } from "kafkajs";

/** How to authenticate and encrypt, with secrets already opened (never stored in this form). */
export interface ClusterSecurity {
  protocol: "PLAINTEXT" | "SSL" | "SASL_PLAINTEXT" | "SASL_SSL";
  sasl?: {
    mechanism: "PLAIN" | "SCRAM-SHA-256" | "SCRAM-SHA-512";
    username: string;
    password: string;
  } | null;
  tls?: {
    caCertificate?: string | null;
    clientCertificate?: string | null;
    clientKey?: string | null;
  } | null;
}

export interface ClusterConnection {
  alias: string;
  bootstrapServers: string;
  security?: ClusterSecurity;
  /** Kafka client properties (contracts' CLIENT_OVERRIDE_KEYS), mapped onto kafkajs options. */
  clientOverrides?: Record<string, string>;
}

/** A kafkajs client for one cluster; quiet by default (errors surface as our own, translated). */
export function createKafka(cluster: ClusterConnection, overrides: Partial<KafkaConfig> = {}): Kafka {
  return new Kafka({
    clientId: `mirrordeck-${cluster.alias}`,
    brokers: cluster.bootstrapServers.split(","),
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3_000,
    requestTimeout: 10_000,
    ...securityConfig(cluster.security),
    ...overrideConfig(cluster.clientOverrides ?? {}),
    ...overrides,
  });
}

function securityConfig(security: ClusterSecurity | undefined): Pick<KafkaConfig, "ssl" | "sasl"> {
  if (security === undefined || security.protocol === "PLAINTEXT") return {};
  const config: Pick<KafkaConfig, "ssl" | "sasl"> = {};
  if (security.protocol === "SSL" || security.protocol === "SASL_SSL") {
    const tls = security.tls;
    config.ssl =
      tls?.caCertificate || tls?.clientCertificate
        ? {
            ...(tls.caCertificate && { ca: [tls.caCertificate] }),
            ...(tls.clientCertificate && { cert: tls.clientCertificate }),
            ...(tls.clientKey && { key: tls.clientKey }),
          }
        : true;
  }
  if ((security.protocol === "SASL_PLAINTEXT" || security.protocol === "SASL_SSL") && security.sasl) {
    const { mechanism, username, password } = security.sasl;
    config.sasl = { mechanism: mechanism.toLowerCase(), username, password } as SASLOptions;
  }
  return config;
}

function overrideConfig(properties: Record<string, string>): Partial<KafkaConfig> {
  const config: Partial<KafkaConfig> = {};
  const number = (key: string) => (properties[key] === undefined ? undefined : Number(properties[key]));
  if (properties["client.id"] !== undefined) config.clientId = properties["client.id"];
  const requestTimeout = number("request.timeout.ms");
  if (requestTimeout !== undefined) config.requestTimeout = requestTimeout;
  const connectionTimeout = number("socket.connection.setup.timeout.ms");
  if (connectionTimeout !== undefined) config.connectionTimeout = connectionTimeout;
  const retries = number("retries");
  const backoff = number("retry.backoff.ms");
  if (retries !== undefined || backoff !== undefined) {
    config.retry = {
      ...(retries !== undefined && { retries }),
      ...(backoff !== undefined && { initialRetryTime: backoff }),
    };
  }
  return config;
}
