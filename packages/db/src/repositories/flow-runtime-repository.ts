import type { Database } from "../client.ts";
import type { Cluster, FlowState, Prisma } from "../generated/prisma/client.ts";
import type { FlowWithClusters } from "./flow-repository.ts";

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

export function setFlowEnabled(
  db: Database,
  flowId: string,
  enabled: boolean,
  state: FlowState,
): Promise<unknown> {
  return db.flow.update({ where: { id: flowId }, data: { enabled, state, stateReason: null } });
}

export function listFlowEvents(db: Database, flowId: string, limit = 100) {
  return db.flowEvent.findMany({ where: { flowId }, orderBy: { id: "desc" }, take: limit });
}
