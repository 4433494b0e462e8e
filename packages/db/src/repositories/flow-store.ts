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

export type NewFlow = FlowFields & { sourceClusterId: string; targetClusterId: string };

export type FlowCreation =
  | { ok: true; flow: FlowWithClusters }
  | { ok: false; existing: { id: string; name: string } };

/**
 * Inserts a flow and its first revision within `tx`, unless a flow already replicates the same
 * source to the same target (MM2 has one flow per direction; two would share internal topics).
 * The pair is serialised with a transaction-scoped advisory lock, so concurrent creates cannot
 * both pass the check.
 */
export async function insertFlowWithRevision(
  tx: Prisma.TransactionClient,
  input: NewFlow,
  actor: string,
): Promise<FlowCreation> {
  const pairKey = `flow-pair:${input.sourceClusterId}>${input.targetClusterId}`;
  await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtext(${pairKey}))::text`;
  const existing = await tx.flow.findFirst({
    where: { sourceClusterId: input.sourceClusterId, targetClusterId: input.targetClusterId },
    select: { id: true, name: true },
  });
  if (existing !== null) return { ok: false, existing };
  const { settings, ...fields } = input;
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
  return { ok: true, flow };
}

/** Creates the flow and its first revision in one transaction (see {@link insertFlowWithRevision}). */
export function createFlowWithRevision(db: Database, input: NewFlow, actor: string): Promise<FlowCreation> {
  return db.$transaction((tx) => insertFlowWithRevision(tx, input, actor));
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
