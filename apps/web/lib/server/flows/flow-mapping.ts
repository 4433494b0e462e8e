import { AppError, type FlowDetail } from "@mirrordeck/contracts";
import { type FlowWithClusters, findFlow, flowDefinitionOf } from "@mirrordeck/db";
import { database } from "../database.ts";

export function toFlowDetail(flow: FlowWithClusters): FlowDetail {
  return {
    id: flow.id,
    ...flowDefinitionOf(flow),
    state: flow.state,
    stateReason: flow.stateReason,
    version: flow.version,
    createdAt: flow.createdAt.toISOString(),
    updatedAt: flow.updatedAt.toISOString(),
  };
}

export async function requireFlow(id: string): Promise<FlowWithClusters> {
  const flow = await findFlow(database(), id);
  if (flow === null) throw new AppError("NOT_FOUND", `No flow with id ${id}.`, { id });
  return flow;
}
