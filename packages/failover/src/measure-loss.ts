import type { DivergentRange, ExpectedLoss } from "@mirrordeck/contracts";
import { readPositionsWithWatermarks } from "@mirrordeck/db";
import type { FailoverContext } from "./failover-context.ts";

export type ActualLoss = ExpectedLoss & { measuredAt: string; divergent: DivergentRange[] };

/**
 * After an unplanned failover, once the old source answers again: what it holds beyond what was
 * copied (the paused flow's positions) is exactly what the target never got. Those ranges are
 * divergent: they are reported, never copied by themselves (the flow stays paused).
 * Returns null while the source is still unreachable.
 */
export async function measureActualLoss(ctx: FailoverContext): Promise<ActualLoss | null> {
  const positions = (await readPositionsWithWatermarks(ctx.db, ctx.flow.id)).filter(
    (p) => !ctx.policy.isHeartbeatsTopic(p.topic),
  );
  const topics = [...new Set(positions.map((p) => p.topic))];
  const ends = new Map<string, number>();
  try {
    for (const topic of topics) {
      for (const o of await ctx.sourceAdmin.partitionOffsets(topic))
        ends.set(`${topic}\u0000${o.partition}`, o.high);
    }
  } catch {
    return null;
  }
  const divergent: DivergentRange[] = [];
  const partitions: ExpectedLoss["partitions"] = [];
  for (const p of positions) {
    const end = ends.get(`${p.topic}\u0000${p.partition}`);
    const from = p.nextOffset ?? 0;
    if (end === undefined || end <= from) continue;
    divergent.push({
      topic: p.topic,
      partition: p.partition,
      fromOffset: from,
      toOffset: end,
      records: end - from,
    });
    partitions.push({ topic: p.topic, partition: p.partition, records: end - from, seconds: null });
  }
  return {
    records: partitions.reduce((sum, p) => sum + p.records, 0),
    seconds: null,
    basis: "live",
    partitions,
    measuredAt: new Date(ctx.now()).toISOString(),
    divergent,
  };
}
