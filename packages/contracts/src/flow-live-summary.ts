import type { FlowMetricsSnapshot } from "./metrics.ts";

/** A flow's live figures summed over the snapshots of every worker that runs part of it. */
export interface FlowLiveSummary {
  recordsPerSec: number;
  bytesPerSec: number;
  lagRecords: number | null;
  maxLagSeconds: number | null;
  latencyP99Ms: number | null;
  partitions: number;
  workers: number;
  updatedAt: string | null;
  /** Remote topics out of step with the source (the highest any worker reports); null: unknown. */
  topicsDrifting: number | null;
}

export function summariseFlowSnapshots(snapshots: readonly FlowMetricsSnapshot[]): FlowLiveSummary {
  let recordsPerSec = 0;
  let bytesPerSec = 0;
  let lagRecords: number | null = null;
  let maxLagSeconds: number | null = null;
  let latencyP99Ms: number | null = null;
  let partitions = 0;
  let updatedAt: string | null = null;
  let topicsDrifting: number | null = null;
  for (const s of snapshots) {
    if (updatedAt === null || s.at > updatedAt) updatedAt = s.at;
    // Every worker of a flow syncs all of its topics, so they see the same drift: not summed.
    if (s.topicDrift) topicsDrifting = Math.max(topicsDrifting ?? 0, s.topicDrift.count);
    for (const p of s.partitions) {
      partitions += 1;
      recordsPerSec += p.recordsPerSec;
      bytesPerSec += p.bytesPerSec;
      if (p.lagRecords !== null) lagRecords = (lagRecords ?? 0) + p.lagRecords;
      if (p.lagSeconds !== null) maxLagSeconds = Math.max(maxLagSeconds ?? 0, p.lagSeconds);
      if (p.latencyP99Ms !== null) latencyP99Ms = Math.max(latencyP99Ms ?? 0, p.latencyP99Ms);
    }
  }
  return {
    recordsPerSec,
    bytesPerSec,
    lagRecords,
    maxLagSeconds,
    latencyP99Ms,
    partitions,
    workers: snapshots.length,
    updatedAt,
    topicsDrifting,
  };
}
