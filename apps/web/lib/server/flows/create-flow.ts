import { AppError, type FlowCreate } from "@mirrordeck/contracts";
import { createFlowWithRevision, type FlowFields, type FlowWithClusters } from "@mirrordeck/db";
import {
  GROUPS_DEFAULT,
  GROUPS_EXCLUDE_DEFAULT,
  TOPICS_DEFAULT,
  TOPICS_EXCLUDE_DEFAULT,
} from "@mirrordeck/mm2";
import { database } from "../database.ts";
import { announceFlowsChanged } from "../queues.ts";

/** The stored fields of a validated new flow: absent patterns take MM2's defaults. */
export function newFlowFields(input: FlowCreate): FlowFields {
  const { sourceAlias, targetAlias, name, ...fields } = input;
  return {
    ...fields,
    name: name ?? `${sourceAlias}->${targetAlias}`,
    topicsInclude: fields.topicsInclude ?? TOPICS_DEFAULT,
    topicsExclude: fields.topicsExclude ?? TOPICS_EXCLUDE_DEFAULT,
    groupsInclude: fields.groupsInclude ?? GROUPS_DEFAULT,
    groupsExclude: fields.groupsExclude ?? GROUPS_EXCLUDE_DEFAULT,
  };
}

/** Stores a new flow with its first revision; 409 when its direction already has a flow. */
export async function createFlow(
  input: FlowCreate,
  clusters: { sourceClusterId: string; targetClusterId: string },
  actor: string,
): Promise<FlowWithClusters> {
  const created = await createFlowWithRevision(database(), { ...newFlowFields(input), ...clusters }, actor);
  if (!created.ok) {
    // MM2 has one flow per direction; two would share (and fight over) the same internal topics.
    throw new AppError(
      "CONFLICT",
      `Flow ${created.existing.name} already replicates ${input.sourceAlias} to ${input.targetAlias}; edit it instead.`,
      { flowId: created.existing.id },
    );
  }
  if (created.flow.enabled) await announceFlowsChanged(created.flow.id);
  return created.flow;
}
