import { DefaultGroupFilter } from "@mirrordeck/mm2";
import { selectTopics } from "@mirrordeck/replication";
import type { FailoverContext } from "../failover-context.ts";
import type { StepInput, StepResult } from "./step-types.ts";

const OWN_GROUP_PREFIX = "__mirrordeck.";

/**
 * The flow's source topics that carry application data: its heartbeats are written by the flow
 * itself every second, so they never stand still and never matter to consumers.
 */
export async function dataTopics(ctx: FailoverContext): Promise<string[]> {
  return selectTopics(await ctx.sourceAdmin.listTopics(), ctx.spec, ctx.policy).filter(
    (t) => !ctx.policy.isHeartbeatsTopic(t),
  );
}

/** Log-end offset per `topic-partition` of the flow's data topics, read now. */
export async function sourceEnds(ctx: FailoverContext): Promise<Record<string, number>> {
  const topics = await dataTopics(ctx);
  const ends: Record<string, number> = {};
  for (const topic of topics) {
    for (const o of await ctx.sourceAdmin.partitionOffsets(topic)) ends[`${topic}-${o.partition}`] = o.high;
  }
  return ends;
}

/**
 * (1) Producers stopped: the source's log-end offsets stood still for the quiet period. Any
 * change restarts the clock, and the waiting message says which partitions still grow.
 */
export async function waitProducersStopped({ ctx, run, step }: StepInput): Promise<StepResult> {
  const ends = await sourceEnds(ctx);
  const now = ctx.now();
  const previous = step.memo as { ends?: Record<string, number>; since?: number } | undefined;
  const grown = Object.entries(ends).filter(
    ([key, end]) => previous?.ends?.[key] !== undefined && previous.ends[key] !== end,
  );
  const same =
    previous?.ends !== undefined &&
    grown.length === 0 &&
    Object.keys(previous.ends).length === Object.keys(ends).length;
  const quietMs = run.options.quietPeriodSeconds * 1000;
  if (same && previous?.since !== undefined) {
    const still = now - previous.since;
    if (still >= quietMs) {
      const total = Object.values(ends).reduce((a, b) => a + b, 0);
      return {
        kind: "done",
        outcome: `Log-end offsets of ${Object.keys(ends).length} partition(s) unchanged for ${Math.round(still / 1000)} s (sum of end offsets ${total}).`,
        memo: { ends, since: previous.since },
      };
    }
    return {
      kind: "waiting",
      waitingFor: `Quiet for ${Math.floor(still / 1000)} of ${run.options.quietPeriodSeconds} s: no record written to ${ctx.spec.source.alias} since.`,
      memo: { ends, since: previous.since },
    };
  }
  const growing = grown.map(([key, end]) => `${key} (+${end - previous!.ends![key]!})`);
  return {
    kind: "waiting",
    waitingFor:
      growing.length > 0
        ? `Stop the producers on ${ctx.spec.source.alias}: still writing to ${growing.slice(0, 5).join(", ")}${growing.length > 5 ? ", …" : ""}.`
        : `Stop the producers on ${ctx.spec.source.alias}; watching its log-end offsets.`,
    memo: { ends, since: now },
  };
}

/** The flow's consumer groups that committed offsets on its source topics. */
export async function flowGroups(ctx: FailoverContext): Promise<string[]> {
  const filter = new DefaultGroupFilter({
    groups: ctx.spec.groupsInclude,
    groupsExclude: ctx.spec.groupsExclude,
  });
  const topics = await dataTopics(ctx);
  const groups: string[] = [];
  for (const group of await ctx.sourceAdmin.listGroups()) {
    if (group.startsWith(OWN_GROUP_PREFIX) || !filter.shouldReplicateGroup(group)) continue;
    const offsets = await ctx.sourceAdmin.fetchGroupOffsets(group, topics);
    if (offsets.some((t) => t.partitions.length > 0)) groups.push(group);
  }
  return groups.sort();
}

/** (2) Consumers stopped: every group of the flow is empty on the source. */
export async function waitConsumersStopped({ ctx }: StepInput): Promise<StepResult> {
  const groups = await flowGroups(ctx);
  const states = groups.length === 0 ? new Map() : await ctx.sourceAdmin.describeGroupStates(groups);
  const active = groups.filter((g) => states.get(g)?.state === "active");
  if (active.length > 0) {
    return {
      kind: "waiting",
      waitingFor: `Stop the consumers on ${ctx.spec.source.alias}: ${active
        .map((g) => `${g} (${states.get(g)?.members || "some"} member(s))`)
        .join(", ")} still running.`,
      memo: { active },
    };
  }
  return {
    kind: "done",
    outcome:
      groups.length === 0
        ? "The flow has no consumer groups."
        : `Empty on ${ctx.spec.source.alias}: ${groups.join(", ")}.`,
    memo: { groups },
  };
}
