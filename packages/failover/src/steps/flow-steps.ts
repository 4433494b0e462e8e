import type { FailoverReport } from "@mirrordeck/contracts";
import {
  createFlowWithRevision,
  findFlow,
  overwritePositions,
  setFlowActiveCluster,
  setFlowEnabled,
} from "@mirrordeck/db";
import { flowReplicationPolicy, selectTopics } from "@mirrordeck/replication";
import type { FailoverContext } from "../failover-context.ts";
import { lossFromLag } from "../failover-plan.ts";
import { observeReadiness } from "../observe-readiness.ts";
import type { StepInput, StepResult } from "./step-types.ts";

const actorOf = (run: StepInput["run"]) => `${run.requestedBy} (failover ${run.id.slice(0, 8)})`;

/** (5) Stop replicating: the target keeps what it has; positions stay for a later resume. */
export async function pauseFlowStep({ ctx, run }: StepInput): Promise<StepResult> {
  await setFlowEnabled(ctx.db, ctx.flow.id, false, "PAUSED", actorOf(run));
  return { kind: "done", outcome: `${ctx.flow.name} paused.` };
}

/**
 * (6) The reverse flow (target→source) from the current end of the target's topics: what was
 * there came from the source (or predates this flow), so only what is written from now on goes
 * back. Created with the original's selection and settings, or the existing one resumed.
 */
export async function reverseFlowStep({ ctx, run }: StepInput): Promise<StepResult> {
  const flow = ctx.flow;
  const existing = await ctx.db.flow.findFirst({
    where: { sourceClusterId: flow.targetClusterId, targetClusterId: flow.sourceClusterId },
  });
  let reverseId = existing?.id;
  let created = false;
  // An enabled reverse flow (active-active) already knows where it is: leave its positions.
  const keepPositions = existing?.enabled === true;
  if (reverseId === undefined) {
    const result = await createFlowWithRevision(
      ctx.db,
      {
        name: await freeName(ctx, `${ctx.spec.target.alias}-to-${ctx.spec.source.alias}`),
        sourceClusterId: flow.targetClusterId,
        targetClusterId: flow.sourceClusterId,
        enabled: false,
        topicsInclude: flow.topicsInclude,
        topicsExclude: flow.topicsExclude,
        groupsInclude: flow.groupsInclude,
        groupsExclude: flow.groupsExclude,
        replicationPolicy: flow.replicationPolicy,
        separator: flow.separator,
        startPosition: "EARLIEST",
        tasksMax: flow.tasksMax,
        replicationFactor: flow.replicationFactor,
        settings: (flow.settings ?? {}) as Record<string, unknown>,
      },
      actorOf(run),
    );
    reverseId = result.ok ? result.flow.id : result.existing.id;
    created = result.ok;
  }
  const reverse = await findFlow(ctx.db, reverseId);
  if (reverse === null)
    return { kind: "failed", error: "The reverse flow disappeared while it was being set up." };
  // Its topics on the target (now its source), at their current end.
  const reverseSpec = {
    topicsInclude: reverse.topicsInclude,
    topicsExclude: reverse.topicsExclude,
    target: ctx.spec.source,
  };
  const topics = selectTopics(await ctx.targetAdmin.listTopics(), reverseSpec, reversePolicy(ctx)).filter(
    (t) => !ctx.policy.isHeartbeatsTopic(t),
  );
  const positions: { topic: string; partition: number; nextOffset: number }[] = [];
  for (const topic of keepPositions ? [] : topics) {
    for (const o of await ctx.targetAdmin.partitionOffsets(topic)) {
      positions.push({ topic, partition: o.partition, nextOffset: o.high });
    }
  }
  await overwritePositions(ctx.db, reverseId, positions);
  await setFlowEnabled(ctx.db, reverseId, true, "STARTING", actorOf(run));
  return {
    kind: "done",
    outcome: `${reverse.name} (${ctx.spec.target.alias}→${ctx.spec.source.alias}) ${created ? "created" : "resumed"}, ${keepPositions ? "already running (positions kept)" : `starting at the end of ${positions.length} partition(s) of ${topics.length} topic(s)`}.`,
    report: { reverseFlow: { id: reverseId, name: reverse.name, created } },
  };
}

/** The reverse flow's policy: same kind, its source is our target. */
function reversePolicy(ctx: FailoverContext) {
  return flowReplicationPolicy({ policy: ctx.spec.policy, source: ctx.spec.target });
}

async function freeName(ctx: FailoverContext, base: string): Promise<string> {
  for (let i = 1; ; i++) {
    const name = i === 1 ? base : `${base}-${i}`;
    if ((await ctx.db.flow.findUnique({ where: { name } })) === null) return name;
  }
}

/** (7) The target is the active side now; the report gets RTO and RPO. */
export async function activateTargetStep({ ctx, run }: StepInput): Promise<StepResult> {
  await setFlowActiveCluster(ctx.db, ctx.flow.id, ctx.flow.targetClusterId);
  // The opposite flow (created, resumed, or left paused) agrees: its source is the active side.
  const opposite = await ctx.db.flow.findFirst({
    where: { sourceClusterId: ctx.flow.targetClusterId, targetClusterId: ctx.flow.sourceClusterId },
    select: { id: true },
  });
  if (opposite !== null) await setFlowActiveCluster(ctx.db, opposite.id, null);
  const now = ctx.now();
  const waited = run.steps
    .filter((s) => s.id === "stop-producers" || s.id === "stop-consumers")
    .reduce(
      (sum, s) => sum + (s.startedAt && s.endedAt ? Date.parse(s.endedAt) - Date.parse(s.startedAt) : 0),
      0,
    );
  const estimated = run.report.estimatedLoss ?? null;
  const report: Partial<FailoverReport> = {
    rtoSeconds: (now - run.createdAt.getTime()) / 1000,
    operatorWaitSeconds: run.mode === "planned" ? waited / 1000 : 0,
    rpoRecords: run.mode === "planned" ? 0 : (estimated?.records ?? null),
    rpoSeconds: run.mode === "planned" ? 0 : (estimated?.seconds ?? null),
    rpoBasis: run.mode === "planned" ? "drained" : "estimated",
    activeAlias: ctx.spec.target.alias,
    actualLoss: null,
  };
  return {
    kind: "done",
    outcome: `${ctx.spec.target.alias} is the active side. RTO ${report.rtoSeconds!.toFixed(1)} s; RPO ${report.rpoRecords ?? "?"} record(s)${run.mode === "planned" ? " (drained)" : " (estimated)"}.`,
    report,
  };
}

/** Unplanned (2): what never reached the target, per partition, as far as the workers saw. */
export async function assessLossStep({ ctx }: StepInput): Promise<StepResult> {
  const readiness = await observeReadiness(ctx);
  const loss = lossFromLag(readiness);
  return {
    kind: "done",
    outcome: `${loss.records} record(s) on ${loss.partitions.length} partition(s) not on ${ctx.spec.target.alias} (${loss.basis === "live" ? `${ctx.spec.source.alias} answered` : "last end offsets the workers saw"})${loss.seconds === null ? "" : `, spanning ${loss.seconds.toFixed(1)} s`}.`,
    report: { estimatedLoss: loss },
  };
}
