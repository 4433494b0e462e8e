import {
  AppError,
  type FailoverOptions,
  type FailoverReadiness,
  type FailoverReport,
  type FailoverRunView,
  type FailoverStep,
} from "@mirrordeck/contracts";
import type { FailoverRun } from "@mirrordeck/db";
import { type FailoverContext, openFailoverContext, POINT_OF_NO_RETURN } from "@mirrordeck/failover";
import { database } from "../database.ts";
import { flowLeaderStatus } from "../leader-status.ts";
import { secretBox } from "../secret-box.ts";

/** Runs `task` with admin clients for the flow's clusters, closed afterwards. */
export async function withFailoverContext<T>(
  flowId: string,
  task: (ctx: FailoverContext) => Promise<T>,
): Promise<T> {
  const flow = await database().flow.findUnique({
    where: { id: flowId },
    include: { sourceCluster: true, targetCluster: true },
  });
  if (flow === null) throw new AppError("NOT_FOUND", `No flow with id ${flowId}.`, { id: flowId });
  let ctx: FailoverContext;
  try {
    ctx = openFailoverContext(database(), flow, { secrets: secretBox, leaderStatus: flowLeaderStatus });
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError("CONFLICT", `The flow's cluster settings cannot be used: ${(error as Error).message}`);
  }
  try {
    return await task(ctx);
  } finally {
    await ctx.close();
  }
}

const READINESS_TTL_MS = 3_000;
const readinessCache = new Map<string, { at: number; value: Promise<FailoverReadiness> }>();

/** Readiness, shared for a few seconds: every open flow page polls it. */
export function cachedReadiness(
  flowId: string,
  observe: () => Promise<FailoverReadiness>,
): Promise<FailoverReadiness> {
  const now = Date.now();
  const hit = readinessCache.get(flowId);
  if (hit !== undefined && now - hit.at < READINESS_TTL_MS) return hit.value;
  const value = observe();
  readinessCache.set(flowId, { at: now, value });
  value.catch(() => readinessCache.delete(flowId));
  return value;
}

export function forgetReadiness(flowId: string): void {
  readinessCache.delete(flowId);
}

/** A run as the API shows it (step memos are the workers' business). */
export function toRunView(run: FailoverRun): FailoverRunView {
  const steps = (run.steps as unknown as FailoverStep[]).map(({ memo: _memo, ...step }) => step);
  const returnStep = steps.find((s) => s.id === POINT_OF_NO_RETURN);
  return {
    id: run.id,
    flowId: run.flowId,
    mode: run.mode === "PLANNED" ? "planned" : "unplanned",
    state: run.state,
    options: run.options as unknown as FailoverOptions,
    steps,
    report: run.report as Partial<FailoverReport>,
    cancelRequested: run.cancelRequested,
    requestedBy: run.requestedBy,
    error: run.error,
    createdAt: run.createdAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
    cancellable: run.state === "RUNNING" && (returnStep === undefined || returnStep.state === "pending"),
  };
}
