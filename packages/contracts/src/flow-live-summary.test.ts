import { describe, expect, it } from "vitest";
import { summariseFlowSnapshots } from "./flow-live-summary.ts";
import type { FlowMetricsSnapshot, PartitionMetrics } from "./metrics.ts";

function partition(p: Partial<PartitionMetrics>): PartitionMetrics {
  return {
    topic: "t",
    partition: 0,
    remoteTopic: "east.t",
    state: "running",
    error: null,
    logEndOffset: 10,
    nextOffset: 10,
    lagRecords: 0,
    lagSeconds: 0,
    recordsPerSec: 0,
    bytesPerSec: 0,
    latencyP50Ms: null,
    latencyP99Ms: null,
    recordsCopied: 0,
    ...p,
  };
}

const snapshot = (workerId: string, at: string, partitions: PartitionMetrics[]): FlowMetricsSnapshot => ({
  flowId: "f",
  workerId,
  at,
  intervalMs: 5000,
  partitions,
});

describe("summariseFlowSnapshots", () => {
  it("sums rates and lag over workers and keeps the worst lag in seconds and p99", () => {
    const summary = summariseFlowSnapshots([
      snapshot("w1", "2026-11-23T10:00:00.000Z", [
        partition({ recordsPerSec: 100, bytesPerSec: 1000, lagRecords: 5, lagSeconds: 2, latencyP99Ms: 40 }),
      ]),
      snapshot("w2", "2026-11-23T10:00:03.000Z", [
        partition({
          partition: 1,
          recordsPerSec: 50,
          bytesPerSec: 500,
          lagRecords: 7,
          lagSeconds: 9,
          latencyP99Ms: 12,
        }),
        partition({ partition: 2, lagRecords: null, lagSeconds: null }),
      ]),
    ]);
    expect(summary).toEqual({
      recordsPerSec: 150,
      bytesPerSec: 1500,
      lagRecords: 12,
      maxLagSeconds: 9,
      latencyP99Ms: 40,
      partitions: 3,
      workers: 2,
      updatedAt: "2026-11-23T10:00:03.000Z",
      topicsDrifting: null,
    });
  });

  it("takes the highest drift any worker reports (each syncs all of the flow's topics)", () => {
    const drift = (count: number) => ({ count, topics: [] });
    const summary = summariseFlowSnapshots([
      { ...snapshot("w1", "2026-11-23T10:00:00.000Z", []), topicDrift: drift(2) },
      { ...snapshot("w2", "2026-11-23T10:00:00.000Z", []), topicDrift: drift(3) },
      snapshot("w3", "2026-11-23T10:00:00.000Z", []),
    ]);
    expect(summary.topicsDrifting).toBe(3);
  });

  it("has no lag figures until a worker reported one", () => {
    expect(summariseFlowSnapshots([])).toMatchObject({ lagRecords: null, workers: 0, updatedAt: null });
  });
});
