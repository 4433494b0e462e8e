import type { Checkpoint } from "./checkpoint.ts";

type CheckpointOffsets = Pick<Checkpoint, "upstreamOffset" | "downstreamOffset">;

export type CheckpointEmission =
  | { emit: true; reason: "new-key" | "upstream-rewind" | "downstream-advanced" }
  | { emit: false; reason: "repeated" | "downstream-rewind-prevented" };

/**
 * Whether to write a checkpoint for a (group, partition) given the last one written for that
 * key (MM2's `MirrorCheckpointTask.checkpointIsMoreRecent`). Java readers keep only the last
 * checkpoint per key, so downstream offsets only move forward, unless the source group itself
 * was rewound.
 */
export function decideCheckpointEmission(
  last: CheckpointOffsets | undefined,
  next: CheckpointOffsets,
): CheckpointEmission {
  if (last === undefined) return { emit: true, reason: "new-key" };
  if (next.upstreamOffset < last.upstreamOffset) return { emit: true, reason: "upstream-rewind" };
  if (next.downstreamOffset > last.downstreamOffset) return { emit: true, reason: "downstream-advanced" };
  return next.downstreamOffset === last.downstreamOffset
    ? { emit: false, reason: "repeated" }
    : { emit: false, reason: "downstream-rewind-prevented" };
}
