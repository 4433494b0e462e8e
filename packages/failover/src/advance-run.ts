import type {
  FailoverOptions,
  FailoverReport,
  FailoverStep,
  FailoverStepId,
  FailoverStepJob,
} from "@mirrordeck/contracts";
import {
  type Database,
  type FailoverRun,
  type FlowWithConnections,
  findFailoverRun,
  recordAudit,
  recordFlowEvent,
  updateFailoverRun,
} from "@mirrordeck/db";
import type { FailoverContext } from "./failover-context.ts";
import { measureActualLoss } from "./measure-loss.ts";
import { messageOf } from "./observe-readiness.ts";
import { drainStep } from "./steps/drain-step.ts";
import { activateTargetStep, assessLossStep, pauseFlowStep, reverseFlowStep } from "./steps/flow-steps.ts";
import { handoverStep } from "./steps/handover-step.ts";
import { waitConsumersStopped, waitProducersStopped } from "./steps/source-quiet-steps.ts";
import type { RunView, StepInput, StepResult } from "./steps/step-types.ts";
import { verifyPlanStep } from "./steps/verify-plan-step.ts";

export interface RunDeps {
  db: Database;
  openContext: (flow: FlowWithConnections) => FailoverContext;
  /** Queues a step job (BullMQ in the worker); the same job twice must be harmless. */
  schedule: (job: FailoverStepJob, delayMs: number) => Promise<void>;
  /** Lets every worker reconcile at once after a flow was paused, created or resumed. */
  flowsChanged: (flowId: string) => Promise<void>;
  log: { info: (o: object, m: string) => void; warn: (o: object, m: string) => void };
  workerId: string;
}

/** How often a waiting step looks again. */
export const POLL_MS = 1_000;
/** How often the old source is tried after an unplanned failover (measure-loss). */
export const SOURCE_RETRY_MS = 5_000;
const MEASURE_GIVE_UP_MS = 7 * 24 * 3600_000;

const EXECUTORS: Record<FailoverStepId, (input: StepInput) => Promise<StepResult>> = {
  plan: verifyPlanStep,
  "stop-producers": waitProducersStopped,
  "stop-consumers": waitConsumersStopped,
  drain: ({ ctx }) => drainStep(ctx),
  "assess-loss": assessLossStep,
  handover: handoverStep,
  "pause-flow": pauseFlowStep,
  "reverse-flow": reverseFlowStep,
  "activate-target": activateTargetStep,
};

export function runView(run: FailoverRun): RunView {
  return {
    id: run.id,
    mode: run.mode === "PLANNED" ? "planned" : "unplanned",
    options: run.options as unknown as FailoverOptions,
    steps: run.steps as unknown as FailoverStep[],
    report: run.report as Partial<FailoverReport>,
    requestedBy: run.requestedBy,
    createdAt: run.createdAt,
  };
}

/**
 * Executes one step of a run once and schedules what comes next: the same step again after
 * {@link POLL_MS} while it waits, the next step when it is done. Every transition is saved
 * before the next job is queued, so a worker killed at any point leaves a run another worker
 * resumes from its last saved step (see {@link resumeStalledRuns}).
 */
export async function advanceFailoverRun(deps: RunDeps, job: FailoverStepJob): Promise<void> {
  const row = await findFailoverRun(deps.db, job.runId);
  if (row === null) return;
  if (job.step === "measure-loss") return measureLoss(deps, row);
  if (row.state !== "RUNNING") return;
  const run = runView(row);
  const index = run.steps.findIndex((s) => s.id === job.step);
  const step = run.steps[index];
  if (step === undefined) return;
  if (step.state === "done" || step.state === "skipped") return scheduleNext(deps, run, index);
  if (step.state === "failed") return;
  if (row.cancelRequested && !step.pointOfNoReturn) {
    step.state = "skipped";
    step.outcome = "Cancelled before it started.";
    await finish(
      deps,
      row,
      run,
      "CANCELLED",
      `Cancelled by request before "${step.title}"; nothing was changed.`,
    );
    return;
  }
  const flow = await deps.db.flow.findUnique({
    where: { id: row.flowId },
    include: { sourceCluster: true, targetCluster: true },
  });
  if (flow === null) return;
  const firstTry = step.state === "pending";
  if (firstTry) {
    step.state = "running";
    step.startedAt = new Date().toISOString();
    await updateFailoverRun(deps.db, run.id, { steps: run.steps });
    await record(deps, row, step, "started");
  }
  let result: StepResult;
  const ctx = deps.openContext(flow);
  try {
    result = await EXECUTORS[step.id]({ ctx, run, step });
  } catch (error) {
    // A cluster that does not answer is something to wait for, not a failure of the run.
    result = { kind: "waiting", waitingFor: `Retrying: ${messageOf(error)}` };
  } finally {
    await ctx.close();
  }
  const previous = step.state;
  if (result.kind === "waiting") {
    step.state = "waiting";
    step.waitingFor = result.waitingFor;
    if (result.memo !== undefined) step.memo = result.memo;
    await updateFailoverRun(deps.db, run.id, { steps: run.steps });
    if (previous !== "waiting") await record(deps, row, step, "waiting");
    await deps.schedule({ runId: run.id, step: step.id }, POLL_MS);
    return;
  }
  if (result.kind === "failed") {
    step.state = "failed";
    step.error = result.error;
    step.endedAt = new Date().toISOString();
    await finish(deps, row, run, "FAILED", result.error);
    await record(deps, row, step, "failed");
    return;
  }
  step.state = "done";
  step.waitingFor = null;
  step.outcome = result.outcome;
  step.endedAt = new Date().toISOString();
  if (result.memo !== undefined) step.memo = result.memo;
  run.report = { ...run.report, ...result.report };
  await updateFailoverRun(deps.db, run.id, { steps: run.steps, report: run.report });
  await record(deps, row, step, "done");
  if (step.id === "pause-flow" || step.id === "reverse-flow") {
    await deps.flowsChanged(row.flowId).catch(() => {});
  }
  await scheduleNext(deps, run, index);
}

async function scheduleNext(deps: RunDeps, run: RunView, index: number): Promise<void> {
  const next = run.steps.slice(index + 1).find((s) => s.state !== "skipped" && s.state !== "done");
  if (next !== undefined) return deps.schedule({ runId: run.id, step: next.id }, 0);
  const row = await findFailoverRun(deps.db, run.id);
  if (row === null || row.state !== "RUNNING") return;
  await finish(deps, row, run, "SUCCEEDED", null);
  if (run.mode === "unplanned") await deps.schedule({ runId: run.id, step: "measure-loss" }, 0);
}

async function finish(
  deps: RunDeps,
  row: FailoverRun,
  run: RunView,
  state: "SUCCEEDED" | "FAILED" | "CANCELLED",
  error: string | null,
): Promise<void> {
  await updateFailoverRun(deps.db, run.id, { steps: run.steps, report: run.report, state, error });
  const what = { SUCCEEDED: "completed", FAILED: "failed", CANCELLED: "was cancelled" }[state];
  const r = run.report;
  await recordFlowEvent(
    deps.db,
    row.flowId,
    `failover.${state.toLowerCase()}`,
    state === "SUCCEEDED"
      ? `Failover ${what}: RTO ${r.rtoSeconds?.toFixed(1) ?? "?"} s, RPO ${r.rpoRecords ?? "?"} record(s) (${r.rpoBasis ?? "?"}).`
      : `Failover ${what}${error ? `: ${error}` : "."}`,
    { runId: run.id, report: r, workerId: deps.workerId },
  ).catch(() => {});
  await recordAudit(deps.db, {
    actor: "system:failover",
    action: `failover.${state.toLowerCase()}`,
    targetType: "flow",
    targetId: row.flowId,
    requestId: run.id,
    outcome: state === "SUCCEEDED" ? "ok" : state,
    details: { runId: run.id, requestedBy: run.requestedBy, error },
  }).catch(() => {});
}

/** A step's transition into the flow's events and the audit log, with its inputs and outcome. */
async function record(deps: RunDeps, row: FailoverRun, step: FailoverStep, what: string): Promise<void> {
  const message =
    what === "done"
      ? `Failover step "${step.title}" done: ${step.outcome}`
      : what === "waiting"
        ? `Failover step "${step.title}" waiting: ${step.waitingFor}`
        : what === "failed"
          ? `Failover step "${step.title}" failed: ${step.error}`
          : `Failover step "${step.title}" started.`;
  const details = {
    runId: row.id,
    step: step.id,
    state: step.state,
    inputs: row.options,
    outcome: step.outcome,
    waitingFor: step.waitingFor,
    error: step.error,
    workerId: deps.workerId,
  };
  await recordFlowEvent(deps.db, row.flowId, `failover.step.${what}`, message, details).catch(() => {});
  await recordAudit(deps.db, {
    actor: "system:failover",
    action: `failover.step.${step.id}.${what}`,
    targetType: "flow",
    targetId: row.flowId,
    requestId: row.id,
    outcome: what === "failed" ? "FAILED" : "ok",
    details,
  }).catch(() => {});
}

async function measureLoss(deps: RunDeps, row: FailoverRun): Promise<void> {
  const run = runView(row);
  if (run.report.actualLoss) return;
  if (Date.now() - row.createdAt.getTime() > MEASURE_GIVE_UP_MS) return;
  const flow = await deps.db.flow.findUnique({
    where: { id: row.flowId },
    include: { sourceCluster: true, targetCluster: true },
  });
  if (flow === null) return;
  const ctx = deps.openContext(flow);
  let actual: Awaited<ReturnType<typeof measureActualLoss>>;
  try {
    actual = await measureActualLoss(ctx).catch(() => null);
  } finally {
    await ctx.close();
  }
  if (actual === null) {
    await deps.schedule({ runId: row.id, step: "measure-loss" }, SOURCE_RETRY_MS);
    return;
  }
  const report = {
    ...run.report,
    actualLoss: actual,
    rpoRecords: actual.records,
    rpoBasis: "measured" as const,
  };
  await updateFailoverRun(deps.db, row.id, { report });
  const estimated = run.report.estimatedLoss?.records ?? null;
  await recordFlowEvent(
    deps.db,
    row.flowId,
    "failover.loss-measured",
    `${flow.sourceCluster.alias} is back: ${actual.records} record(s) on ${actual.divergent.length} partition(s) never reached ${flow.targetCluster.alias} (estimated ${estimated ?? "?"}). They are left on ${flow.sourceCluster.alias}, not copied.`,
    { runId: row.id, divergent: actual.divergent, estimated },
  ).catch(() => {});
}

/**
 * A run whose worker died mid-step (or whose queued job was lost with Redis) is picked up again:
 * any running run not touched for `staleMs` gets its current step queued. Steps are idempotent.
 */
export async function resumeStalledRuns(deps: RunDeps, staleMs: number): Promise<number> {
  const stale = await deps.db.failoverRun.findMany({
    where: { state: "RUNNING", updatedAt: { lt: new Date(Date.now() - staleMs) } },
  });
  for (const row of stale) {
    const current = runView(row).steps.find((s) => s.state !== "done" && s.state !== "skipped");
    if (current === undefined) continue;
    deps.log.warn({ runId: row.id, step: current.id }, "resuming a stalled failover run");
    await deps.schedule({ runId: row.id, step: current.id }, 0);
  }
  return stale.length;
}
