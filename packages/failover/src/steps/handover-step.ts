import type { GroupPartitionHandover } from "@mirrordeck/contracts";
import { readPositionsWithWatermarks } from "@mirrordeck/db";
import { type Checkpoint, DefaultGroupFilter } from "@mirrordeck/mm2";
import { loadOffsetSyncStore, readLatestCheckpoints, writeCheckpoints } from "../checkpoint-io.ts";
import { divergentFromReverse } from "../dry-run.ts";
import type { FailoverContext } from "../failover-context.ts";
import { type DrainedPartition, observeDrain } from "./drain-step.ts";
import { originTopicHandovers } from "./origin-topic-handover.ts";
import { dataTopics, flowGroups } from "./source-quiet-steps.ts";
import type { StepInput, StepResult } from "./step-types.ts";

interface Handover {
  group: string;
  partitions: GroupPartitionHandover[];
}

/**
 * (4) Final checkpoints and the groups' offsets on the target. Planned: translated from the
 * drained state, exact for every group that had consumed to the end (no duplicates). Unplanned:
 * the last checkpoints the flow wrote. Groups with members on the target are never written.
 */
export async function handoverStep({ ctx, run }: StepInput): Promise<StepResult> {
  const planned = run.mode === "planned";
  // Where the time goes, in the step's memo: commits through kafkajs join the group (~5 s each).
  const timings: Record<string, number> = {};
  let mark = Date.now();
  const lap = (what: string) => {
    const now = Date.now();
    timings[what] = (timings[what] ?? 0) + (now - mark);
    mark = now;
  };
  let handovers: Handover[];
  let checkpoints: Checkpoint[] = [];
  if (planned) {
    const drain = await observeDrain(ctx);
    if (!drain.drained)
      return { kind: "waiting", waitingFor: `Records arrived after the drain: ${drain.waitingFor}` };
    lap("drainCheckMs");
    const result = await translateDrained(ctx, drain.partitions);
    lap("translateMs");
    handovers = result.handovers;
    checkpoints = result.checkpoints;
    // Failback: groups that read the copies of our target's topics return to the originals.
    const origins = await originTopicHandovers(
      ctx,
      await divergentFromReverse(ctx),
      run.options.divergentRecords,
    );
    lap("originTranslateMs");
    for (const [group, partitions] of origins) {
      const existing = handovers.find((h) => h.group === group);
      if (existing === undefined) handovers.push({ group, partitions });
      else existing.partitions.push(...partitions);
    }
  } else {
    handovers = await fromLastCheckpoints(ctx);
    lap("readCheckpointsMs");
  }
  const groups = handovers.map((h) => h.group);
  const states = groups.length === 0 ? new Map() : await ctx.targetAdmin.describeGroupStates(groups);
  const active = groups.filter((g) => states.get(g)?.state === "active");
  if (active.length > 0) {
    return {
      kind: "waiting",
      waitingFor: `Groups with members on ${ctx.spec.target.alias} cannot take offsets: stop ${active.join(", ")} there.`,
    };
  }
  lap("targetStatesMs");
  if (ctx.spec.emitCheckpoints) await writeCheckpoints(ctx, checkpoints);
  lap("writeCheckpointsMs");
  for (const h of handovers) {
    const byTopic = new Map<string, { partition: number; offset: number }[]>();
    for (const p of h.partitions) {
      if (p.targetOffset === null) continue;
      const list = byTopic.get(p.remoteTopic) ?? [];
      list.push({ partition: p.partition, offset: p.targetOffset });
      byTopic.set(p.remoteTopic, list);
    }
    for (const [topic, partitions] of byTopic)
      await ctx.targetAdmin.commitGroupOffsets(h.group, topic, partitions);
  }
  lap("commitMs");
  const placed = handovers.reduce(
    (n, h) => n + h.partitions.filter((p) => p.targetOffset !== null).length,
    0,
  );
  const dupBound = handovers.reduce(
    (n, h) => n + h.partitions.reduce((m, p) => m + (p.maxDuplicates ?? 0), 0),
    0,
  );
  return {
    kind: "done",
    outcome:
      handovers.length === 0
        ? "No consumer group to hand over."
        : `${placed} offset(s) of ${handovers.length} group(s) committed on ${ctx.spec.target.alias} (${handovers
            .map((h) => h.group)
            .join(", ")}); at most ${dupBound} record(s) may be read twice.`,
    memo: { timings },
    report: { handedOver: handovers },
  };
}

async function translateDrained(
  ctx: FailoverContext,
  drained: DrainedPartition[],
): Promise<{ handovers: Handover[]; checkpoints: Checkpoint[] }> {
  const byPartition = new Map(drained.map((d) => [`${d.topic}\u0000${d.partition}`, d]));
  const topics = await dataTopics(ctx);
  const groups = await flowGroups(ctx);
  let store: Awaited<ReturnType<typeof loadOffsetSyncStore>> | undefined;
  const handovers: Handover[] = [];
  const checkpoints: Checkpoint[] = [];
  for (const group of groups) {
    const partitions: GroupPartitionHandover[] = [];
    for (const t of await ctx.sourceAdmin.fetchGroupOffsets(group, topics)) {
      for (const c of t.partitions) {
        const d = byPartition.get(`${t.topic}\u0000${c.partition}`);
        if (d === undefined) continue;
        let targetOffset: number;
        let maxDuplicates = 0;
        let note: string | null = null;
        if (c.offset >= d.sourceEnd) {
          targetOffset = d.targetEnd; // consumed everything: exactly the end on the target
        } else if (c.offset <= d.sourceStart) {
          targetOffset = d.targetStart;
        } else {
          store ??= await loadOffsetSyncStore(ctx);
          const translation = store.translateDownstream(t.topic, c.partition, c.offset);
          if (translation.ok) {
            targetOffset = translation.downstreamOffset;
            maxDuplicates = ctx.spec.offsetLagMax;
          } else {
            targetOffset = d.targetStart;
            maxDuplicates = c.offset - d.sourceStart;
            note = "no offset sync covers this offset: starts at the oldest record on the target (no loss)";
          }
        }
        partitions.push({
          topic: t.topic,
          partition: c.partition,
          remoteTopic: d.remoteTopic,
          sourceOffset: c.offset,
          targetOffset,
          maxDuplicates,
          note,
        });
        checkpoints.push({
          consumerGroupId: group,
          topic: d.remoteTopic,
          partition: c.partition,
          upstreamOffset: c.offset,
          downstreamOffset: targetOffset,
          metadata: c.metadata,
        });
      }
    }
    if (partitions.length > 0) handovers.push({ group, partitions });
  }
  return { handovers, checkpoints };
}

/** The source is gone: each group gets its last checkpoint on the target. */
async function fromLastCheckpoints(ctx: FailoverContext): Promise<Handover[]> {
  const filter = new DefaultGroupFilter({
    groups: ctx.spec.groupsInclude,
    groupsExclude: ctx.spec.groupsExclude,
  });
  // The checkpoints topic is shared by every flow of this direction: only this flow's topics.
  const remoteTopics = new Set(
    (await readPositionsWithWatermarks(ctx.db, ctx.flow.id))
      .filter((p) => !ctx.policy.isHeartbeatsTopic(p.topic))
      .map((p) => ctx.policy.formatRemoteTopic(ctx.spec.source.alias, p.topic)),
  );
  const byGroup = new Map<string, GroupPartitionHandover[]>();
  for (const c of (await readLatestCheckpoints(ctx)).values()) {
    if (!filter.shouldReplicateGroup(c.consumerGroupId) || !remoteTopics.has(c.topic)) continue;
    const list = byGroup.get(c.consumerGroupId) ?? [];
    list.push({
      topic: ctx.policy.upstreamTopic(c.topic) ?? c.topic,
      partition: c.partition,
      remoteTopic: c.topic,
      sourceOffset: c.upstreamOffset,
      targetOffset: c.downstreamOffset,
      maxDuplicates: null,
      note: "from the last checkpoint: records consumed on the source after it are read again",
    });
    byGroup.set(c.consumerGroupId, list);
  }
  return [...byGroup.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([group, partitions]) => ({ group, partitions }));
}
