import type { GroupCheckpointStatus } from "@mirrordeck/contracts";
import { type Checkpoint, planGroupOffsetSync } from "@mirrordeck/mm2";
import { AdminError } from "../kafkajs/admin-error.ts";
import type { ClusterAdmin } from "../ports/cluster-admin.ts";

export interface GroupOffsetSyncOutcome {
  group: string;
  targetState: "absent" | "empty" | "active" | null;
  outcome: "synced" | "up-to-date" | "skipped-active" | "error";
  /** Offsets moved forward. */
  partitions: number;
  error: string | null;
}

/**
 * `sync.group.offsets.enabled` (MM2's `MirrorCheckpointTask.syncGroupOffset`): commits the
 * latest checkpoint of each group into the group on the target, when the group is absent there
 * (every checkpoint) or empty (only offsets that move forward). A group with members is left
 * alone and reported; MM2 tries anyway and fails on the broker.
 */
export async function syncGroupOffsets(input: {
  targetAdmin: ClusterAdmin;
  /** The groups of the latest checkpoint round: only their current, validated translations sync. */
  groups: readonly GroupCheckpointStatus[];
}): Promise<GroupOffsetSyncOutcome[]> {
  const byGroup = checkpointsByGroup(input.groups);
  if (byGroup.size === 0) return [];
  const states = await input.targetAdmin.describeGroupStates([...byGroup.keys()]);
  const outcomes: GroupOffsetSyncOutcome[] = [];
  for (const [group, checkpoints] of byGroup) {
    const state = states.get(group)?.state ?? "absent";
    try {
      const committed = new Map<string, number>();
      if (state === "empty") {
        const topics = [...new Set(checkpoints.map((c) => c.topic))];
        for (const t of await input.targetAdmin.fetchGroupOffsets(group, topics)) {
          for (const p of t.partitions) committed.set(`${t.topic}\u0000${p.partition}`, p.offset);
        }
      }
      const plan = planGroupOffsetSync(
        { state, committedOffset: (topic, partition) => committed.get(`${topic}\u0000${partition}`) },
        checkpoints,
      );
      if (state === "active") {
        outcomes.push({ group, targetState: state, outcome: "skipped-active", partitions: 0, error: null });
        continue;
      }
      const byTopic = new Map<string, { partition: number; offset: number }[]>();
      for (const c of plan) {
        const list = byTopic.get(c.topic) ?? [];
        list.push({ partition: c.partition, offset: c.downstreamOffset });
        byTopic.set(c.topic, list);
      }
      for (const [topic, partitions] of byTopic) {
        await input.targetAdmin.commitGroupOffsets(group, topic, partitions);
      }
      outcomes.push({
        group,
        targetState: state,
        outcome: plan.length > 0 ? "synced" : "up-to-date",
        partitions: plan.length,
        error: null,
      });
    } catch (error) {
      // Members may have joined since the state was read: that is a skip, not a failure.
      const active = error instanceof AdminError && error.code === "GROUP_ACTIVE";
      outcomes.push({
        group,
        targetState: active ? "active" : state,
        outcome: active ? "skipped-active" : "error",
        partitions: 0,
        error: active ? null : (error as Error).message,
      });
    }
  }
  return outcomes;
}

function checkpointsByGroup(groups: readonly GroupCheckpointStatus[]): Map<string, Checkpoint[]> {
  const result = new Map<string, Checkpoint[]>();
  for (const g of groups) {
    const checkpoints: Checkpoint[] = [];
    for (const p of g.partitions) {
      if (p.translated === null) continue;
      checkpoints.push({
        consumerGroupId: g.group,
        topic: p.remoteTopic,
        partition: p.partition,
        upstreamOffset: p.sourceCommitted,
        downstreamOffset: p.translated,
        metadata: "",
      });
    }
    if (checkpoints.length > 0) result.set(g.group, checkpoints);
  }
  return result;
}
