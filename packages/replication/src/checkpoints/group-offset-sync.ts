import type { Checkpoint } from "@mirrordeck/mm2";
import { planGroupOffsetSync } from "@mirrordeck/mm2";
import { AdminError } from "../kafkajs/admin-error.ts";
import type { ClusterAdmin } from "../ports/cluster-admin.ts";
import type { WrittenCheckpoint } from "./checkpoint-planner.ts";

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
  groups: readonly string[];
  written: ReadonlyMap<string, WrittenCheckpoint>;
}): Promise<GroupOffsetSyncOutcome[]> {
  const byGroup = checkpointsByGroup(input.written, new Set(input.groups));
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

function checkpointsByGroup(
  written: ReadonlyMap<string, WrittenCheckpoint>,
  groups: ReadonlySet<string>,
): Map<string, Checkpoint[]> {
  const result = new Map<string, Checkpoint[]>();
  for (const [key, w] of written) {
    const [group, topic, partition] = key.split("\u0000") as [string, string, string];
    if (!groups.has(group)) continue;
    const list = result.get(group) ?? [];
    list.push({
      consumerGroupId: group,
      topic,
      partition: Number(partition),
      upstreamOffset: w.upstreamOffset,
      downstreamOffset: w.downstreamOffset,
      metadata: "",
    });
    result.set(group, list);
  }
  return result;
}
