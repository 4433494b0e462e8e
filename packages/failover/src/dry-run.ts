import type {
  DivergentRange,
  FailoverMode,
  FailoverOptions,
  FailoverPlan,
  FailoverReport,
} from "@mirrordeck/contracts";
import { listFailoverRunsOfFlows } from "@mirrordeck/db";
import type { FailoverContext } from "./failover-context.ts";
import { buildPlan } from "./failover-plan.ts";
import { observeReadiness } from "./observe-readiness.ts";

/** The plan of a failover if started now; changes nothing. */
export async function dryRunFailover(
  ctx: FailoverContext,
  mode: FailoverMode,
  options: FailoverOptions,
): Promise<FailoverPlan> {
  const readiness = await observeReadiness(ctx);
  return buildPlan({
    mode,
    options,
    readiness,
    bootstrap: { source: ctx.spec.source.bootstrapServers, target: ctx.spec.target.bootstrapServers },
    divergent: await divergentFromReverse(ctx),
    at: ctx.now(),
  });
}

/**
 * Records an earlier unplanned failover in the other direction (target→source) left behind on
 * this flow's target: they reached that side but never ours. A failback reports them.
 */
export async function divergentFromReverse(ctx: FailoverContext): Promise<DivergentRange[]> {
  const reverse = await ctx.db.flow.findFirst({
    where: { sourceClusterId: ctx.flow.targetClusterId, targetClusterId: ctx.flow.sourceClusterId },
    select: { id: true },
  });
  if (reverse === null) return [];
  const [latest] = await listFailoverRunsOfFlows(ctx.db, [reverse.id], 1);
  if (latest === undefined || latest.mode !== "UNPLANNED" || latest.state !== "SUCCEEDED") return [];
  return (latest.report as Partial<FailoverReport>).actualLoss?.divergent ?? [];
}
