import type { Database } from "../client.ts";
import type { ClusterRecord } from "./cluster-store.ts";
import type { FlowFields } from "./flow-store.ts";
import { insertFlowWithRevision } from "./flow-store.ts";

export interface ImportedCluster {
  id: string;
  alias: string;
  record: ClusterRecord;
}

export type ImportedFlow = FlowFields & { sourceAlias: string; targetAlias: string };

export class TopologyImportConflict extends Error {
  constructor(readonly what: string) {
    super(what);
    this.name = "TopologyImportConflict";
  }
}

/**
 * Creates clusters and then flows (each with its first revision) in ONE transaction: either all
 * of them exist afterwards or none does.
 * @throws TopologyImportConflict when a flow's clusters are missing or its direction is taken.
 */
export async function importTopology(
  db: Database,
  clusters: ImportedCluster[],
  flows: ImportedFlow[],
  actor: string,
): Promise<{ flowIds: string[] }> {
  return db.$transaction(
    async (tx) => {
      for (const cluster of clusters) {
        await tx.cluster.create({ data: { id: cluster.id, alias: cluster.alias, ...cluster.record } });
      }
      const flowIds: string[] = [];
      for (const { sourceAlias, targetAlias, ...fields } of flows) {
        const [source, target] = await Promise.all([
          tx.cluster.findUnique({ where: { alias: sourceAlias }, select: { id: true } }),
          tx.cluster.findUnique({ where: { alias: targetAlias }, select: { id: true } }),
        ]);
        if (source === null || target === null) {
          throw new TopologyImportConflict(
            `flow ${fields.name}: cluster ${source === null ? sourceAlias : targetAlias} does not exist`,
          );
        }
        const created = await insertFlowWithRevision(
          tx,
          { ...fields, sourceClusterId: source.id, targetClusterId: target.id },
          actor,
        );
        if (!created.ok) {
          throw new TopologyImportConflict(
            `flow ${created.existing.name} already replicates ${sourceAlias} to ${targetAlias}`,
          );
        }
        flowIds.push(created.flow.id);
      }
      return { flowIds };
    },
    { timeout: 30_000 },
  );
}
