import type { Database } from "../client.ts";
import type { Cluster, FlowState, Prisma } from "../generated/prisma/client.ts";
import type { FlowWithClusters } from "./flow-repository.ts";
import { diffDefinitions, flowDefinitionOf } from "./flow-store.ts";

export interface FlowWithConnections extends FlowWithClusters {
  sourceCluster: Cluster;
  targetCluster: Cluster;
}

/** Flows the workers should be running now. */
export function listEnabledFlows(db: Database): Promise<FlowWithConnections[]> {
  return db.flow.findMany({
    where: { enabled: true },
    include: { sourceCluster: true, targetCluster: true },
  });
}

export async function recordFlowEvent(
  db: Database,
  flowId: string,
  kind: string,
  message: string,
  details: Record<string, unknown> = {},
): Promise<void> {
  await db.flowEvent.create({ data: { flowId, kind, message, details: details as Prisma.InputJsonValue } });
}

/** Sets the flow's state; returns false when nothing changed (so no event is needed). */
export async function setFlowState(
  db: Database,
  flowId: string,
  state: FlowState,
  reason: string | null,
): Promise<boolean> {
  const result = await db.flow.updateMany({
    where: { id: flowId, NOT: { state, stateReason: reason } },
    data: { state, stateReason: reason },
  });
  return result.count > 0;
}

/**
 * Turns a flow on or off as an operator asked. A real change bumps the version and records a
 * revision, so an editor holding the old version gets 409 instead of silently undoing it.
 */
export async function setFlowEnabled(
  db: Database,
  flowId: string,
  enabled: boolean,
  state: FlowState,
  actor = "system",
): Promise<void> {
  await db.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<
      { enabled: boolean }[]
    >`SELECT enabled FROM flow WHERE id = ${flowId}::uuid FOR UPDATE`;
    const row = rows[0];
    if (row === undefined) return;
    if (row.enabled === enabled) {
      await tx.flow.update({ where: { id: flowId }, data: { state, stateReason: null } });
      return;
    }
    const include = {
      sourceCluster: { select: { alias: true } },
      targetCluster: { select: { alias: true } },
    };
    const before = await tx.flow.findUniqueOrThrow({ where: { id: flowId }, include });
    const after = await tx.flow.update({
      where: { id: flowId },
      data: { enabled, state, stateReason: null, version: { increment: 1 } },
      include,
    });
    const snapshot = flowDefinitionOf(after);
    await tx.flowRevision.create({
      data: {
        flowId,
        version: after.version,
        actor,
        diff: diffDefinitions(flowDefinitionOf(before), snapshot) as Prisma.InputJsonObject,
        snapshot: snapshot as Prisma.InputJsonObject,
      },
    });
  });
}

export function listFlowEvents(db: Database, flowId: string, limit = 100) {
  return db.flowEvent.findMany({ where: { flowId }, orderBy: { id: "desc" }, take: limit });
}
