import type {
  DivergentRange,
  FailoverMode,
  FailoverOptions,
  FailoverPlan,
  FailoverReport,
} from "@mirrordeck/contracts";
import { listFailoverRunsOfFlows, readPositionsWithWatermarks } from "@mirrordeck/db";
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
 * Records on this flow's target that never reached its source: what the opposite flow (target→
 * source), paused by an earlier failover, had not copied when it stopped, up to the target's end
 * now (so writes that reached the old side after the failover count too). Read live; when the
 * target cannot be read, the loss measured after that failover. A failback reports them.
 */
export async function divergentFromReverse(ctx: FailoverContext): Promise<DivergentRange[]> {
  const opposite = await ctx.db.flow.findFirst({
    where: { sourceClusterId: ctx.flow.targetClusterId, targetClusterId: ctx.flow.sourceClusterId },
    select: { id: true, enabled: true },
  });
  // Still replicating (active-active): nothing it holds is left behind.
  if (opposite === null || opposite.enabled) return [];
  try {
    const ranges: DivergentRange[] = [];
    const positions = (await readPositionsWithWatermarks(ctx.db, opposite.id)).filter(
      (p) => p.nextOffset !== null && !ctx.policy.isHeartbeatsTopic(p.topic),
    );
    const ends = new Map<string, Map<number, number>>();
    for (const p of positions) {
      if (!ends.has(p.topic)) {
        ends.set(
          p.topic,
          new Map((await ctx.targetAdmin.partitionOffsets(p.topic)).map((o) => [o.partition, o.high])),
        );
      }
      const end = ends.get(p.topic)?.get(p.partition);
      const from = p.nextOffset!;
      if (end !== undefined && end > from) {
        ranges.push({
          topic: p.topic,
          partition: p.partition,
          fromOffset: from,
          toOffset: end,
          records: end - from,
        });
      }
    }
    return ranges;
  } catch {
    const [latest] = await listFailoverRunsOfFlows(ctx.db, [opposite.id], 1);
    if (latest === undefined || latest.mode !== "UNPLANNED" || latest.state !== "SUCCEEDED") return [];
    return (latest.report as Partial<FailoverReport>).actualLoss?.divergent ?? [];
  }
}
