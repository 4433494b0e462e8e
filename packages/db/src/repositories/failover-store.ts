import type { Database } from "../client.ts";
import type { FailoverMode, FailoverRun, FailoverRunState, Prisma } from "../generated/prisma/client.ts";

export type { FailoverRun };

export interface NewFailoverRun {
  flowId: string;
  mode: FailoverMode;
  options: Record<string, unknown>;
  plan: Record<string, unknown>;
  steps: unknown[];
  requestedBy: string;
}

/**
 * Starts a run, or returns the run already going on the flow: `running_flow_id` is unique, so
 * two concurrent starts cannot both succeed.
 */
export async function createFailoverRun(
  db: Database,
  run: NewFailoverRun,
): Promise<{ created: FailoverRun } | { running: FailoverRun }> {
  try {
    const created = await db.failoverRun.create({
      data: {
        flowId: run.flowId,
        runningFlowId: run.flowId,
        mode: run.mode,
        options: run.options as Prisma.InputJsonObject,
        plan: run.plan as Prisma.InputJsonObject,
        steps: run.steps as Prisma.InputJsonArray,
        requestedBy: run.requestedBy,
      },
    });
    return { created };
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const running = await db.failoverRun.findFirst({ where: { runningFlowId: run.flowId } });
    if (running === null) throw error;
    return { running };
  }
}

export function findFailoverRun(db: Database, id: string): Promise<FailoverRun | null> {
  return db.failoverRun.findUnique({ where: { id } });
}

export function findRunningFailover(db: Database, flowId: string): Promise<FailoverRun | null> {
  return db.failoverRun.findFirst({ where: { runningFlowId: flowId } });
}

export function listFailoverRuns(db: Database, flowId: string, limit = 20): Promise<FailoverRun[]> {
  return db.failoverRun.findMany({ where: { flowId }, orderBy: { createdAt: "desc" }, take: limit });
}

/** Runs of any of the flows, newest first (a failback looks at the other direction's runs). */
export function listFailoverRunsOfFlows(db: Database, flowIds: string[], limit = 20): Promise<FailoverRun[]> {
  return db.failoverRun.findMany({
    where: { flowId: { in: flowIds } },
    orderBy: { createdAt: "desc" },
    take: limit,
  });
}

export interface FailoverRunPatch {
  steps?: unknown[];
  report?: Record<string, unknown>;
  state?: FailoverRunState;
  error?: string | null;
}

/** Saves a step's progress; a finished state also frees the flow for the next run. */
export async function updateFailoverRun(db: Database, id: string, patch: FailoverRunPatch): Promise<void> {
  const finished = patch.state !== undefined && patch.state !== "RUNNING";
  await db.failoverRun.update({
    where: { id },
    data: {
      ...(patch.steps !== undefined && { steps: patch.steps as Prisma.InputJsonArray }),
      ...(patch.report !== undefined && { report: patch.report as Prisma.InputJsonObject }),
      ...(patch.state !== undefined && { state: patch.state }),
      ...(patch.error !== undefined && { error: patch.error }),
      ...(finished && { runningFlowId: null, finishedAt: new Date() }),
    },
  });
}

/** Asks a running run to stop; false when it is not running. */
export async function requestFailoverCancel(db: Database, id: string): Promise<boolean> {
  const result = await db.failoverRun.updateMany({
    where: { id, state: "RUNNING" },
    data: { cancelRequested: true },
  });
  return result.count > 0;
}

/** Records which side applications use (null: the flow's source). */
export async function setFlowActiveCluster(
  db: Database,
  flowId: string,
  clusterId: string | null,
): Promise<void> {
  await db.flow.update({ where: { id: flowId }, data: { activeClusterId: clusterId } });
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === "P2002";
}
