import { type DivergentRange, flowSettingsSchema, type GroupPartitionHandover } from "@mirrordeck/contracts";
import { readPositionsWithWatermarks } from "@mirrordeck/db";
import { DefaultGroupFilter, type OffsetSyncStore } from "@mirrordeck/mm2";
import { loadOffsetSyncStoreOf } from "../checkpoint-io.ts";
import type { FailoverContext } from "../failover-context.ts";

const OWN_GROUP_PREFIX = "__mirrordeck.";

/**
 * Failback's half that MM2 leaves out: a group that consumed `east.orders` on west (the copy of
 * east's `orders`) returns to east's `orders` at the matching offset. The copy was made by the
 * opposite flow (east→west), so its offset syncs are read backwards: the closest sync at or
 * below the group's offset gives the upstream offset (+1 when between syncs: no record skipped).
 * A group that read the copy to its end resumes where that flow stopped copying.
 *
 * Records an unplanned failover left on east (divergent) are never mixed in silently: with
 * "skip" a group at their start resumes after them; the ranges are in the report either way.
 */
export async function originTopicHandovers(
  ctx: FailoverContext,
  divergent: readonly DivergentRange[],
  divergentRecords: "skip" | "include",
): Promise<Map<string, GroupPartitionHandover[]>> {
  const { spec, policy } = ctx;
  const result = new Map<string, GroupPartitionHandover[]>();
  const opposite = await ctx.db.flow.findFirst({
    where: { sourceClusterId: ctx.flow.targetClusterId, targetClusterId: ctx.flow.sourceClusterId },
  });
  if (opposite === null) return result;
  // Copies of the opposite flow's topics on our source (`east.orders` when failing back to east),
  // and where that flow stopped copying each partition.
  const oppositePositions = await readPositionsWithWatermarks(ctx.db, opposite.id);
  const copiedTopics = new Set(oppositePositions.map((p) => p.topic));
  const copies = (await ctx.sourceAdmin.listTopics()).filter(
    (t) =>
      policy.topicSource(t) === spec.target.alias &&
      copiedTopics.has(policy.upstreamTopic(t) ?? t) &&
      !policy.isHeartbeatsTopic(t) &&
      !policy.isInternalTopic(t),
  );
  if (copies.length === 0) return result;
  const copied = new Map(oppositePositions.map((p) => [`${p.topic}\u0000${p.partition}`, p.nextOffset]));
  const filter = new DefaultGroupFilter({ groups: spec.groupsInclude, groupsExclude: spec.groupsExclude });
  const copyEnds = new Map<string, number>();
  for (const topic of copies) {
    for (const o of await ctx.sourceAdmin.partitionOffsets(topic))
      copyEnds.set(`${topic}\u0000${o.partition}`, o.high);
  }
  let store: OffsetSyncStore | undefined;
  const loadStore = async () => {
    store ??= await loadOffsetSyncStoreOf(
      policy,
      spec.target,
      spec.source,
      flowSettingsSchema.parse(opposite.settings ?? {}).offsetSyncsTopicLocation,
    );
    return store;
  };
  for (const group of await ctx.sourceAdmin.listGroups()) {
    if (group.startsWith(OWN_GROUP_PREFIX) || !filter.shouldReplicateGroup(group)) continue;
    const partitions: GroupPartitionHandover[] = [];
    for (const t of await ctx.sourceAdmin.fetchGroupOffsets(group, copies)) {
      const origin = policy.upstreamTopic(t.topic) ?? t.topic;
      for (const c of t.partitions) {
        const end = copyEnds.get(`${t.topic}\u0000${c.partition}`) ?? 0;
        const stoppedAt = copied.get(`${origin}\u0000${c.partition}`) ?? null;
        let upstream: number;
        let maxDuplicates = 0;
        let note: string | null = null;
        if (c.offset >= end && stoppedAt !== null) {
          upstream = stoppedAt;
        } else {
          const syncs = (await loadStore()).retainedSyncs(origin, c.partition);
          const below = syncs
            .filter((s) => s.downstreamOffset <= c.offset)
            .sort((a, b) => b.downstreamOffset - a.downstreamOffset)[0];
          upstream =
            below === undefined ? 0 : below.upstreamOffset + (below.downstreamOffset === c.offset ? 0 : 1);
          maxDuplicates = below === undefined ? c.offset : 1;
          if (below === undefined)
            note = "no offset sync below the group's offset: starts at the beginning (no loss)";
        }
        const range = divergent.find((r) => r.topic === origin && r.partition === c.partition);
        if (range !== undefined && divergentRecords === "skip") {
          if (upstream >= range.fromOffset) {
            note = `skips ${range.records} divergent record(s) at offsets ${range.fromOffset}–${range.toOffset - 1} (never on ${spec.source.alias}; export them from the report)`;
            upstream = Math.max(upstream, range.toOffset);
          } else {
            note = `will reach ${range.records} divergent record(s) at offset ${range.fromOffset} after the records before it`;
          }
        }
        partitions.push({
          topic: t.topic,
          partition: c.partition,
          remoteTopic: origin,
          sourceOffset: c.offset,
          targetOffset: upstream,
          maxDuplicates,
          note,
        });
      }
    }
    if (partitions.length > 0) result.set(group, partitions);
  }
  return result;
}
