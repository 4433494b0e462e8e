import type { Database } from "../client.ts";
import type { Flow, Prisma } from "../generated/prisma/client.ts";

export type { Flow };

export interface FlowWithClusters extends Flow {
  sourceCluster: { alias: string };
  targetCluster: { alias: string };
}

export function listFlows(db: Database): Promise<FlowWithClusters[]> {
  return db.flow.findMany({
    orderBy: { name: "asc" },
    include: { sourceCluster: { select: { alias: true } }, targetCluster: { select: { alias: true } } },
  });
}

/** One flow with its clusters, or null when no flow has that id. */
export function findFlow(db: Database, id: string): Promise<FlowWithClusters | null> {
  return db.flow.findUnique({
    where: { id },
    include: { sourceCluster: { select: { alias: true } }, targetCluster: { select: { alias: true } } },
  });
}

export interface FlowSeed {
  name: string;
  sourceClusterId: string;
  targetClusterId: string;
  topicsInclude: string;
  replicationFactor: number;
  enabled?: boolean;
  /** MM2 options (`flowSettingsSchema`); absent keys take MM2's defaults. */
  settings?: Record<string, unknown>;
}

/** Creates the flow if no flow has that name; returns the stored flow either way. */
export async function ensureFlow(db: Database, seed: FlowSeed): Promise<Flow> {
  const { settings, ...rest } = seed;
  return db.flow.upsert({
    where: { name: seed.name },
    create: { ...rest, ...(settings !== undefined && { settings: settings as Prisma.InputJsonObject }) },
    update: {},
  });
}
