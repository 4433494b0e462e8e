import type { Database } from "../client.ts";
import type { Cluster, Prisma, SaslMechanism, SecurityProtocol } from "../generated/prisma/client.ts";

/** Stored form of a cluster's settings; secrets arrive already sealed. */
export interface ClusterRecord {
  bootstrapServers: string;
  securityProtocol: SecurityProtocol;
  saslMechanism: SaslMechanism | null;
  saslUsername: string | null;
  saslPasswordSealed: string | null;
  caCertificate: string | null;
  clientCertificate: string | null;
  clientKeySealed: string | null;
  clientOverrides: Record<string, string>;
}

export type ClusterWrite<T> =
  | { ok: true; cluster: T }
  | {
      ok: false;
      reason: "not-found" | "stale-version" | "in-use";
      currentVersion?: number;
      flows?: string[];
    };

export function createCluster(
  db: Database,
  id: string,
  alias: string,
  record: ClusterRecord,
): Promise<Cluster> {
  return db.cluster.create({ data: { id, alias, ...record, clientOverrides: record.clientOverrides } });
}

/** Applies `changes` if the stored version is still `expectedVersion`; bumps the version. */
export async function updateCluster(
  db: Database,
  alias: string,
  expectedVersion: number,
  changes: Partial<ClusterRecord>,
): Promise<ClusterWrite<Cluster>> {
  const data: Prisma.ClusterUpdateManyMutationInput = { ...changes, version: { increment: 1 } };
  const result = await db.cluster.updateMany({ where: { alias, version: expectedVersion }, data });
  const current = await db.cluster.findUnique({ where: { alias } });
  if (current === null) return { ok: false, reason: "not-found" };
  if (result.count === 0) return { ok: false, reason: "stale-version", currentVersion: current.version };
  return { ok: true, cluster: current };
}

/** Deletes the cluster unless a flow uses it (then names those flows). */
export async function deleteCluster(db: Database, alias: string): Promise<ClusterWrite<null>> {
  return db.$transaction(async (tx) => {
    const cluster = await tx.cluster.findUnique({
      where: { alias },
      include: { sourceFlows: { select: { name: true } }, targetFlows: { select: { name: true } } },
    });
    if (cluster === null) return { ok: false, reason: "not-found" };
    const flows = [...cluster.sourceFlows, ...cluster.targetFlows].map((f) => f.name);
    if (flows.length > 0) return { ok: false, reason: "in-use", flows };
    await tx.cluster.delete({ where: { alias } });
    return { ok: true, cluster: null };
  });
}
