import { AppError } from "@mirrordeck/contracts";
import { createFailoverRun, recordFlowEvent } from "@mirrordeck/db";
import { dryRunFailover } from "@mirrordeck/failover";
import { database } from "@/lib/server/database.ts";
import { forgetReadiness, toRunView, withFailoverContext } from "@/lib/server/failover/failover-service.ts";
import { defineRoute } from "@/lib/server/http/define-route.ts";
import { enqueueFailoverStep } from "@/lib/server/queues.ts";

export const dynamic = "force-dynamic";

/**
 * Without `dryRun: false`, answers the plan and changes nothing. Otherwise starts the run: refused
 * (409) while another runs on the flow, or when the plan says no-go; the workers take it from there.
 */
export const POST = defineRoute("flows.failover", async ({ params, body, principal, requestId, audit }) => {
  audit.targetId = params.id;
  const { dryRun, ...options } = body;
  const plan = await withFailoverContext(params.id, (ctx) => dryRunFailover(ctx, options.mode, options));
  if (dryRun) return Response.json(plan);
  if (plan.readiness.runningFailover !== null) {
    throw new AppError("FAILOVER_RUNNING", "A failover of this flow is already running.", {
      runId: plan.readiness.runningFailover.id,
    });
  }
  if (plan.refusal !== null) {
    throw new AppError("FAILOVER_NOT_READY", plan.refusal.message, { reason: plan.refusal.code });
  }
  const result = await createFailoverRun(database(), {
    flowId: params.id,
    mode: options.mode === "planned" ? "PLANNED" : "UNPLANNED",
    options,
    plan: plan as unknown as Record<string, unknown>,
    steps: plan.steps,
    requestedBy: principal.label,
  });
  if ("running" in result) {
    throw new AppError("FAILOVER_RUNNING", "A failover of this flow is already running.", {
      runId: result.running.id,
    });
  }
  const run = result.created;
  forgetReadiness(params.id);
  await enqueueFailoverStep({ runId: run.id, step: "plan" });
  await recordFlowEvent(
    database(),
    params.id,
    "failover.requested",
    `${options.mode === "planned" ? "Planned" : "Unplanned"} failover to ${plan.readiness.targetAlias} requested by ${principal.label}`,
    { runId: run.id, requestId, options, expectedLoss: plan.expectedLoss },
  );
  audit.details = { runId: run.id, options };
  return Response.json(toRunView(run), { status: 202 });
});
