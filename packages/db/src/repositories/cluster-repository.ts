import type { Database } from "../client.ts";
import type { Cluster } from "../generated/prisma/client.ts";

export type { Cluster };

export interface ClusterInput {
  alias: string;
  bootstrapServers: string;
}

export function listClusters(db: Database): Promise<Cluster[]> {
  return db.cluster.findMany({ orderBy: { alias: "asc" } });
}

export function findClusterByAlias(db: Database, alias: string): Promise<Cluster | null> {
  return db.cluster.findUnique({ where: { alias } });
}

/** Creates the cluster, or updates its bootstrap servers when the alias exists. */
export function upsertCluster(db: Database, input: ClusterInput): Promise<Cluster> {
  return db.cluster.upsert({
    where: { alias: input.alias },
    create: { alias: input.alias, bootstrapServers: input.bootstrapServers },
    update: { bootstrapServers: input.bootstrapServers },
  });
}
