import type { Checkpoint } from "./checkpoint.ts";

/** State of the consumer group on the target cluster. */
export type TargetGroupState =
  /** Unknown to the target (Kafka reports it as DEAD). */
  | "absent"
  /** Known, no members (EMPTY). */
  | "empty"
  /** Has members, or is rebalancing: its offsets belong to its consumers. */
  | "active";

export interface TargetGroup {
  state: TargetGroupState;
  /** The group's committed offset on the target for a remote topic-partition, if any. */
  committedOffset(topic: string, partition: number): number | undefined;
}

/**
 * Which checkpoints to commit into a target group when `sync.group.offsets.enabled`
 * (MM2's `MirrorCheckpointTask.syncGroupOffset`): all of them into an absent group; into an
 * empty group only those that move an offset forward or cover a new partition; none into an
 * active group. MM2 tries active groups too and fails on the broker; we skip them.
 */
export function planGroupOffsetSync(target: TargetGroup, checkpoints: readonly Checkpoint[]): Checkpoint[] {
  if (target.state === "active") return [];
  if (target.state === "absent") return [...checkpoints];
  return checkpoints.filter((checkpoint) => {
    const committed = target.committedOffset(checkpoint.topic, checkpoint.partition);
    return committed === undefined || checkpoint.downstreamOffset > committed;
  });
}
