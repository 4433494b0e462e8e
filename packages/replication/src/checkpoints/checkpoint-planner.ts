import type { GroupPartitionStatus } from "@mirrordeck/contracts";
import { type Checkpoint, decideCheckpointEmission, type OffsetSyncStore } from "@mirrordeck/mm2";
import type { PartitionOffsets } from "../ports/cluster-admin.ts";

/** A consumer group's committed offset on a source partition. */
export interface GroupCommit {
  topic: string;
  partition: number;
  offset: number;
  metadata: string;
}

/** The last checkpoint written for a (group, remote topic, partition), and when. */
export interface WrittenCheckpoint {
  upstreamOffset: number;
  downstreamOffset: number;
  at: number;
}

export type OffsetsByPartition = Map<string, Map<number, PartitionOffsets>>;

export interface CheckpointPlanInput {
  group: string;
  commits: readonly GroupCommit[];
  store: OffsetSyncStore;
  remoteTopic: (sourceTopic: string) => string;
  /** Source partition offsets by source topic. */
  sourceOffsets: OffsetsByPartition;
  /** Target partition offsets by remote topic. */
  targetOffsets: OffsetsByPartition;
  /** Last checkpoint per {@link checkpointKey}; read, not modified. */
  written: ReadonlyMap<string, WrittenCheckpoint>;
}

export interface CheckpointPlan {
  /** Checkpoints to write now (new, advanced, or the source group rewound). */
  checkpoints: Checkpoint[];
  /** Per partition: what the UI shows, assuming the checkpoints above get written. */
  partitions: GroupPartitionStatus[];
}

export function checkpointKey(group: string, remoteTopic: string, partition: number): string {
  return `${group}\u0000${remoteTopic}\u0000${partition}`;
}

const UNTRANSLATED_NOTE = {
  "not-read-to-end": "waiting for the offset-syncs topic to be read to its end",
  "no-offset-sync": "no record of this partition has been replicated yet",
  "before-oldest-sync": "the committed offset is older than every offset sync kept",
} as const;

/**
 * Translates one group's committed source offsets to the target (MM2's
 * `MirrorCheckpointTask.checkpointsForGroup`) and decides which checkpoints to write.
 *
 * MM2's rule plus one case MM2 gets wrong (KAFKA-12635): a partition with no offset sync yet,
 * whose topic is replicating (other partitions have syncs) and where the group sits at or
 * before the source log start (an empty partition, or one emptied by retention), translates to
 * the remote partition's log start. Nothing the group has not consumed can be before it, so no
 * record is skipped; a never-written partition translates to 0. A topic with no sync at all
 * gets no checkpoint: nothing of it has been replicated.
 */
export function planCheckpoints(input: CheckpointPlanInput): CheckpointPlan {
  const checkpoints: Checkpoint[] = [];
  const partitions: GroupPartitionStatus[] = [];
  for (const commit of input.commits) {
    const remoteTopic = input.remoteTopic(commit.topic);
    const source = input.sourceOffsets.get(commit.topic)?.get(commit.partition);
    const target = input.targetOffsets.get(remoteTopic)?.get(commit.partition);
    const translation = input.store.translateDownstream(commit.topic, commit.partition, commit.offset);
    let downstream: number | undefined;
    let note: string | null = null;
    if (translation.ok) {
      downstream = translation.downstreamOffset;
    } else if (
      translation.reason === "no-offset-sync" &&
      input.store.hasOffsetSyncs(commit.topic) &&
      source !== undefined &&
      target !== undefined &&
      commit.offset <= source.low
    ) {
      downstream = target.low;
    } else {
      note = UNTRANSLATED_NOTE[translation.reason];
    }

    // Syncs are written after the target acked, so a translation past the remote partition's end
    // means the remote topic was re-created or truncated since: never checkpoint past its end.
    if (downstream !== undefined && target === undefined) {
      downstream = undefined;
      note = "the remote topic cannot be read on the target";
    } else if (downstream !== undefined && target !== undefined && downstream > target.high) {
      downstream = undefined;
      note = "the translation lies past the end of the remote partition (re-created or truncated?)";
    }
    const key = checkpointKey(input.group, remoteTopic, commit.partition);
    const written = input.written.get(key);
    // A checkpoint past the remote partition's end is void (topic re-created): it may be rewound.
    const last =
      target !== undefined && written !== undefined && written.downstreamOffset > target.high
        ? undefined
        : written;
    let effective = last;
    if (downstream !== undefined) {
      const next = { upstreamOffset: commit.offset, downstreamOffset: downstream };
      const decision = decideCheckpointEmission(last, next);
      if (decision.emit) {
        checkpoints.push({
          consumerGroupId: input.group,
          topic: remoteTopic,
          partition: commit.partition,
          upstreamOffset: commit.offset,
          downstreamOffset: downstream,
          metadata: commit.metadata,
        });
        effective = { ...next, at: Date.now() };
      }
    }
    const translated = effective?.downstreamOffset ?? null;
    partitions.push({
      topic: commit.topic,
      partition: commit.partition,
      remoteTopic,
      sourceCommitted: commit.offset,
      translated,
      checkpointAt: effective === undefined ? null : new Date(effective.at).toISOString(),
      sourceLag: source === undefined ? null : Math.max(0, source.high - commit.offset),
      targetLag: target === undefined || translated === null ? null : Math.max(0, target.high - translated),
      note,
    });
  }
  return { checkpoints, partitions };
}
