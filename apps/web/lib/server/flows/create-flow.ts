import type { FlowCreate } from "@mirrordeck/contracts";
import { createFlowWithRevision, type FlowWithClusters } from "@mirrordeck/db";
import {
  GROUPS_DEFAULT,
  GROUPS_EXCLUDE_DEFAULT,
  TOPICS_DEFAULT,
  TOPICS_EXCLUDE_DEFAULT,
} from "@mirrordeck/mm2";
import { database } from "../database.ts";
import { announceFlowsChanged } from "../queues.ts";

/** Stores a validated new flow with its first revision (absent patterns take MM2's defaults). */
export async function createFlow(
  input: FlowCreate,
  clusters: { sourceClusterId: string; targetClusterId: string },
  actor: string,
): Promise<FlowWithClusters> {
  const { sourceAlias, targetAlias, name, ...fields } = input;
  const flow = await createFlowWithRevision(
    database(),
    {
      ...fields,
      name: name ?? `${sourceAlias}->${targetAlias}`,
      topicsInclude: fields.topicsInclude ?? TOPICS_DEFAULT,
      topicsExclude: fields.topicsExclude ?? TOPICS_EXCLUDE_DEFAULT,
      groupsInclude: fields.groupsInclude ?? GROUPS_DEFAULT,
      groupsExclude: fields.groupsExclude ?? GROUPS_EXCLUDE_DEFAULT,
      ...clusters,
    },
    actor,
  );
  if (flow.enabled) await announceFlowsChanged(flow.id);
  return flow;
}
