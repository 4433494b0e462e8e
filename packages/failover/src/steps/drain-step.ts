import { readPositionsWithWatermarks } from "@mirrordeck/db";
import type { FailoverContext } from "../failover-context.ts";
import { dataTopics } from "./source-quiet-steps.ts";
import type { StepResult } from "./step-types.ts";

/** One partition at the end of a drain: the source end and where it ends on the target. */
export interface DrainedPartition {
  topic: string;
  partition: number;
  remoteTopic: string;
  sourceEnd: number;
  sourceStart: number;
  targetEnd: number;
  targetStart: number;
}

export type DrainState =
  | { drained: true; partitions: DrainedPartition[] }
  | { drained: false; waitingFor: string };

/**
 * Lag 0 everywhere: every record below the source's end is copied (the stored position, written
 * after the target acknowledged, has reached the end).
 */
export async function observeDrain(ctx: FailoverContext): Promise<DrainState> {
  const positions = new Map(
    (await readPositionsWithWatermarks(ctx.db, ctx.flow.id)).map((p) => [
      `${p.topic}\u0000${p.partition}`,
      p,
    ]),
  );
  const partitions: DrainedPartition[] = [];
  const behind: string[] = [];
  let records = 0;
  for (const topic of await dataTopics(ctx)) {
    const remoteTopic = ctx.policy.formatRemoteTopic(ctx.spec.source.alias, topic);
    const source = await ctx.sourceAdmin.partitionOffsets(topic);
    const target = new Map(
      (await ctx.targetAdmin.partitionOffsets(remoteTopic).catch(() => [])).map((o) => [o.partition, o]),
    );
    for (const o of source) {
      const copied = positions.get(`${topic}\u0000${o.partition}`)?.nextOffset ?? null;
      const empty = o.high <= o.low;
      const lag = empty ? 0 : o.high - (copied ?? o.low);
      const t = target.get(o.partition);
      if (lag > 0 || t === undefined) {
        behind.push(`${topic}-${o.partition}`);
        records += Math.max(0, lag);
        continue;
      }
      partitions.push({
        topic,
        partition: o.partition,
        remoteTopic,
        sourceEnd: o.high,
        sourceStart: o.low,
        targetEnd: t.high,
        targetStart: t.low,
      });
    }
  }
  if (behind.length > 0) {
    return {
      drained: false,
      waitingFor: `${records} record(s) still to copy on ${behind.length} partition(s) (${behind.slice(0, 5).join(", ")}${behind.length > 5 ? ", …" : ""}).${ctx.flow.enabled ? "" : " The flow is paused: resume it, or cancel."}`,
    };
  }
  return { drained: true, partitions };
}

/** (3) Drain until lag is 0 on every partition. */
export async function drainStep(ctx: FailoverContext): Promise<StepResult> {
  const state = await observeDrain(ctx);
  if (!state.drained) return { kind: "waiting", waitingFor: state.waitingFor };
  const total = state.partitions.reduce((sum, p) => sum + (p.sourceEnd - p.sourceStart), 0);
  return {
    kind: "done",
    outcome: `Lag 0 on all ${state.partitions.length} partition(s); ${total} record(s) retained on both sides.`,
    memo: { partitions: state.partitions },
  };
}
