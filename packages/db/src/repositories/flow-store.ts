import type { FlowDefinition } from "@mirrordeck/contracts";
import type { Database } from "../client.ts";
import type { FlowRevision, Prisma } from "../generated/prisma/client.ts";
import { type FlowWithClusters, findFlow } from "./flow-repository.ts";

export type { FlowRevision };

/** The editable part of a stored flow, as the API and revisions show it. */
export function flowDefinitionOf(flow: FlowWithClusters): FlowDefinition {
  return {
    name: flow.name,
    sourceAlias: flow.sourceCluster.alias,
    targetAlias: flow.targetCluster.alias,
    enabled: flow.enabled,
    topicsInclude: flow.topicsInclude,
    topicsExclude: flow.topicsExclude,
    groupsInclude: flow.groupsInclude,
    groupsExclude: flow.groupsExclude,
    replicationPolicy: flow.replicationPolicy,
    separator: flow.separator,
    startPosition: flow.startPosition,
    tasksMax: flow.tasksMax,
    replicationFactor: flow.replicationFactor,
    settings: (flow.settings ?? {}) as Record<string, unknown>,
  };
}

/** `{ field: { from, to } }` for every field whose value differs. */
export function diffDefinitions(
  before: Partial<FlowDefinition> | null,
  after: FlowDefinition,
): Record<string, { from: unknown; to: unknown }> {
  const diff: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of Object.keys(after) as (keyof FlowDefinition)[]) {
    const from = before?.[key] ?? null;
    if (JSON.stringify(from) !== JSON.stringify(after[key])) diff[key] = { from, to: after[key] };
  }
  return diff;
}

export type FlowFields = Omit<FlowDefinition, "sourceAlias" | "targetAlias">;

export type FlowWrite =
  | { ok: true; flow: FlowWithClusters }
  | { ok: false; reason: "not-found" | "stale-version"; currentVersion?: number };

/** Creates the flow and its first revision in one transaction. */
export async function createFlowWithRevision(
  db: Database,
  input: FlowFields & { sourceClusterId: string; targetClusterId: string },
  actor: string,
): Promise<FlowWithClusters> {
  const { settings, ...fields } = input;
  const id = await db.$transaction(async (tx) => {
    const flow = await tx.flow.create({
      data: { ...fields, settings: settings as Prisma.InputJsonObject },
      include: { sourceCluster: { select: { alias: true } }, targetCluster: { select: { alias: true } } },
    });
    const snapshot = flowDefinitionOf(flow);
    await tx.flowRevision.create({
      data: {
        flowId: flow.id,
        version: flow.version,
        actor,
        diff: diffDefinitions(null, snapshot) as Prisma.InputJsonObject,
        snapshot: snapshot as Prisma.InputJsonObject,
      },
    });
    return flow.id;
  });
  return (await findFlow(db, id)) as FlowWithClusters;
}

/**
 * Applies `changes` when the stored version is still `expectedVersion` (row-locked, so two
 * concurrent edits cannot both win), bumps the version and records the revision with its diff.
 */
export async function updateFlowWithRevision(
  db: Database,
  id: string,
  expectedVersion: number,
  changes: Partial<FlowFields>,
  actor: string,
): Promise<FlowWrite> {
  const outcome = await db.$transaction(async (tx): Promise<FlowWrite | "ok"> => {
    const locked = await tx.$queryRaw<
      { version: number }[]
    >`SELECT version FROM flow WHERE id = ${id}::uuid FOR UPDATE`;
    const row = locked[0];
    if (row === undefined) return { ok: false, reason: "not-found" };
    if (row.version !== expectedVersion)
      return { ok: false, reason: "stale-version", currentVersion: row.version };
    const include = {
      sourceCluster: { select: { alias: true } },
      targetCluster: { select: { alias: true } },
    };
    const before = await tx.flow.findUniqueOrThrow({ where: { id }, include });
    const { settings, ...fields } = changes;
    const after = await tx.flow.update({
      where: { id },
      data: {
        ...fields,
        ...(settings !== undefined && { settings: settings as Prisma.InputJsonObject }),
        version: { increment: 1 },
      },
      include,
    });
    const snapshot = flowDefinitionOf(after);
    await tx.flowRevision.create({
      data: {
        flowId: id,
        version: after.version,
        actor,
        diff: diffDefinitions(flowDefinitionOf(before), snapshot) as Prisma.InputJsonObject,
        snapshot: snapshot as Prisma.InputJsonObject,
      },
    });
    return "ok";
  });
  if (outcome !== "ok") return outcome;
  return { ok: true, flow: (await findFlow(db, id)) as FlowWithClusters };
}

export function listFlowRevisions(db: Database, flowId: string, limit = 100): Promise<FlowRevision[]> {
  return db.flowRevision.findMany({ where: { flowId }, orderBy: { version: "desc" }, take: limit });
}

/** Flows between the same two clusters in the same direction (MM2 has one flow per pair). */
export function findFlowForPair(db: Database, sourceClusterId: string, targetClusterId: string) {
  return db.flow.findFirst({ where: { sourceClusterId, targetClusterId }, select: { id: true, name: true } });
}
