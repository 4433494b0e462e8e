import type { SecretBox } from "@mirrordeck/security";
import type { Cluster } from "../generated/prisma/client.ts";

export type SaslMechanismName = "PLAIN" | "SCRAM-SHA-256" | "SCRAM-SHA-512";
type StoredMechanism = NonNullable<Cluster["saslMechanism"]>;

export const storedMechanism = (name: SaslMechanismName): StoredMechanism =>
  name.replaceAll("-", "_") as StoredMechanism;
export const mechanismName = (stored: StoredMechanism): SaslMechanismName =>
  stored.replaceAll("_", "-") as SaslMechanismName;

// The context binds a sealed value to its cluster and field: copied elsewhere, it does not open.
export const saslPasswordContext = (clusterId: string) => `cluster:${clusterId}:sasl.password`;
export const clientKeyContext = (clusterId: string) => `cluster:${clusterId}:ssl.key`;

/** How to connect to a stored cluster (structurally `@mirrordeck/kafka`'s ClusterConnection). */
export interface StoredClusterConnection {
  alias: string;
  bootstrapServers: string;
  clientOverrides: Record<string, string>;
  security: {
    protocol: Cluster["securityProtocol"];
    sasl: { mechanism: SaslMechanismName; username: string; password: string } | null;
    tls: { caCertificate: string | null; clientCertificate: string | null; clientKey: string | null };
  };
}

/**
 * The connection settings of a stored cluster with its secrets opened, for this use only.
 * `box` may be null when the cluster has no sealed secrets.
 * @throws SecurityError when a secret cannot be opened with the box's key.
 */
export function openClusterConnection(
  cluster: Pick<
    Cluster,
    | "id"
    | "alias"
    | "bootstrapServers"
    | "securityProtocol"
    | "saslMechanism"
    | "saslUsername"
    | "saslPasswordSealed"
    | "caCertificate"
    | "clientCertificate"
    | "clientKeySealed"
    | "clientOverrides"
  >,
  box: () => SecretBox,
): StoredClusterConnection {
  const sasl =
    cluster.saslMechanism !== null && cluster.saslUsername !== null && cluster.saslPasswordSealed !== null
      ? {
          mechanism: mechanismName(cluster.saslMechanism),
          username: cluster.saslUsername,
          password: box().open(cluster.saslPasswordSealed, saslPasswordContext(cluster.id)),
        }
      : null;
  return {
    alias: cluster.alias,
    bootstrapServers: cluster.bootstrapServers,
    clientOverrides: (cluster.clientOverrides ?? {}) as Record<string, string>,
    security: {
      protocol: cluster.securityProtocol,
      sasl,
      tls: {
        caCertificate: cluster.caCertificate,
        clientCertificate: cluster.clientCertificate,
        clientKey:
          cluster.clientKeySealed === null
            ? null
            : box().open(cluster.clientKeySealed, clientKeyContext(cluster.id)),
      },
    },
  };
}
