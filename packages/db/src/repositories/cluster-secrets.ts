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

/** A cluster whose protocol needs credentials it does not have (e.g. imported with a placeholder). */
export class ClusterCredentialsMissing extends Error {
  constructor(alias: string, protocol: string) {
    super(
      `cluster ${alias} uses ${protocol} but has no SASL credentials stored; set them (PATCH /api/v1/clusters/${alias})`,
    );
    this.name = "ClusterCredentialsMissing";
  }
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
  const saslProtocol =
    cluster.securityProtocol === "SASL_PLAINTEXT" || cluster.securityProtocol === "SASL_SSL";
  if (
    saslProtocol &&
    (cluster.saslMechanism === null || cluster.saslUsername === null || cluster.saslPasswordSealed === null)
  ) {
    throw new ClusterCredentialsMissing(cluster.alias, cluster.securityProtocol);
  }
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
