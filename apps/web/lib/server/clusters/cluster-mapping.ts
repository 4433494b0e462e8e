import { AppError, type ClusterCreate, type ClusterDetail, type ClusterUpdate } from "@mirrordeck/contracts";
import {
  type Cluster,
  type ClusterRecord,
  clientKeyContext,
  findClusterByAlias,
  openClusterConnection,
  saslPasswordContext as passwordContext,
  storedMechanism as toStored,
  mechanismName as toWire,
} from "@mirrordeck/db";
import type { ClusterConnection } from "@mirrordeck/kafka";
import { database } from "../database.ts";
import { secretBox } from "../secret-box.ts";

/** A cluster as the API shows it: whether secrets are set, never what they are. */
export function toClusterDetail(cluster: Cluster): ClusterDetail {
  const usesTls = cluster.securityProtocol === "SSL" || cluster.securityProtocol === "SASL_SSL";
  return {
    id: cluster.id,
    alias: cluster.alias,
    bootstrapServers: cluster.bootstrapServers,
    securityProtocol: cluster.securityProtocol,
    sasl:
      cluster.saslMechanism === null || cluster.saslUsername === null
        ? null
        : {
            mechanism: toWire(cluster.saslMechanism),
            username: cluster.saslUsername,
            passwordSet: cluster.saslPasswordSealed !== null,
          },
    tls: usesTls
      ? {
          caCertificate: cluster.caCertificate,
          clientCertificate: cluster.clientCertificate,
          clientKeySet: cluster.clientKeySealed !== null,
        }
      : null,
    clientOverrides: (cluster.clientOverrides ?? {}) as Record<string, string>,
    version: cluster.version,
    createdAt: cluster.createdAt.toISOString(),
    updatedAt: cluster.updatedAt.toISOString(),
  };
}

/** The stored form of a new cluster, secrets sealed. */
export function newClusterRecord(id: string, input: ClusterCreate): ClusterRecord {
  return {
    bootstrapServers: input.bootstrapServers,
    securityProtocol: input.securityProtocol,
    saslMechanism: input.sasl ? toStored(input.sasl.mechanism) : null,
    saslUsername: input.sasl?.username ?? null,
    saslPasswordSealed: input.sasl?.password
      ? secretBox().seal(input.sasl.password, passwordContext(id))
      : null,
    caCertificate: input.tls?.caCertificate ?? null,
    clientCertificate: input.tls?.clientCertificate ?? null,
    clientKeySealed: input.tls?.clientKey
      ? secretBox().seal(input.tls.clientKey, clientKeyContext(id))
      : null,
    clientOverrides: input.clientOverrides,
  };
}

/** The stored changes an update asks for; omitted secrets keep their sealed values. */
export function clusterChanges(current: Cluster, update: ClusterUpdate): Partial<ClusterRecord> {
  const changes: Partial<ClusterRecord> = {};
  if (update.bootstrapServers !== undefined) changes.bootstrapServers = update.bootstrapServers;
  if (update.clientOverrides !== undefined) changes.clientOverrides = update.clientOverrides;
  const protocol = update.securityProtocol ?? current.securityProtocol;
  if (update.securityProtocol !== undefined) changes.securityProtocol = update.securityProtocol;
  const saslUsed = protocol === "SASL_PLAINTEXT" || protocol === "SASL_SSL";
  if (update.sasl === null || (!saslUsed && current.saslMechanism !== null)) {
    Object.assign(changes, { saslMechanism: null, saslUsername: null, saslPasswordSealed: null });
  } else if (update.sasl !== undefined) {
    changes.saslMechanism = toStored(update.sasl.mechanism);
    changes.saslUsername = update.sasl.username;
    if (update.sasl.password !== undefined) {
      changes.saslPasswordSealed = secretBox().seal(update.sasl.password, passwordContext(current.id));
    }
  }
  // The value each field will have: `??` would read a cleared (null) field as unchanged.
  const after = <K extends keyof ClusterRecord>(key: K) => (key in changes ? changes[key] : current[key]);
  if (saslUsed && (after("saslMechanism") === null || after("saslPasswordSealed") === null)) {
    throw new AppError(
      "VALIDATION_FAILED",
      `sasl: ${protocol} needs a mechanism, a username and a password; send all three.`,
    );
  }
  // Stored secrets are only ever sent to the brokers they were entered for: pointing the cluster
  // elsewhere needs them again, or an admin could read them off a broker of their own.
  const moved = update.bootstrapServers !== undefined && update.bootstrapServers !== current.bootstrapServers;
  if (
    moved &&
    current.saslPasswordSealed !== null &&
    update.sasl?.password === undefined &&
    update.sasl !== null
  ) {
    throw new AppError(
      "VALIDATION_FAILED",
      "sasl.password: changing the bootstrap servers needs the SASL password again (it is never sent to new brokers unasked).",
    );
  }
  if (
    moved &&
    current.clientKeySealed !== null &&
    update.tls?.clientKey === undefined &&
    update.tls !== null
  ) {
    throw new AppError(
      "VALIDATION_FAILED",
      "tls.clientKey: changing the bootstrap servers needs the client key again.",
    );
  }
  if (update.tls === null) {
    Object.assign(changes, { caCertificate: null, clientCertificate: null, clientKeySealed: null });
  } else if (update.tls !== undefined) {
    if (update.tls.caCertificate !== undefined) changes.caCertificate = update.tls.caCertificate;
    if (update.tls.clientCertificate !== undefined) changes.clientCertificate = update.tls.clientCertificate;
    if (update.tls.clientKey !== undefined) {
      changes.clientKeySealed =
        update.tls.clientKey === null
          ? null
          : secretBox().seal(update.tls.clientKey, clientKeyContext(current.id));
    }
  }
  return changes;
}

/** How to connect, with secrets opened for this use only. */
export function clusterConnection(cluster: Cluster): ClusterConnection {
  return openClusterConnection(cluster, secretBox);
}

/** A connection built straight from create input (test before saving); nothing is stored. */
export function draftConnection(input: ClusterCreate): ClusterConnection {
  return {
    alias: input.alias,
    bootstrapServers: input.bootstrapServers,
    security: {
      protocol: input.securityProtocol,
      sasl: input.sasl?.password ? { ...input.sasl, password: input.sasl.password } : null,
      tls: input.tls ?? null,
    },
  };
}

export async function requireCluster(alias: string): Promise<Cluster> {
  const cluster = await findClusterByAlias(database(), alias);
  if (cluster === null) throw new AppError("NOT_FOUND", `No cluster with alias ${alias}.`, { alias });
  return cluster;
}
