import type { FailoverReadiness } from "@mirrordeck/contracts";
import { describe, expect, it } from "vitest";
import { buildPlan, clientChanges, lossFromLag, planSteps } from "./failover-plan.ts";

const options = {
  mode: "planned" as const,
  quietPeriodSeconds: 10,
  createReverseFlow: false,
  divergentRecords: "skip" as const,
};

function readiness(overrides: Partial<FailoverReadiness> = {}): FailoverReadiness {
  return {
    flowId: "f",
    at: new Date(0).toISOString(),
    sourceAlias: "east",
    targetAlias: "west",
    activeAlias: "east",
    sourceReachable: false,
    sourceError: "gone",
    targetReachable: true,
    targetError: null,
    go: false,
    unplannedGo: true,
    reasons: [{ level: "block", code: "SOURCE_UNREACHABLE", message: "east cannot be reached" }],
    heartbeatAgeSeconds: 3,
    totals: { partitions: 2, lagRecords: 30, maxLagSeconds: 4 },
    partitions: [
      {
        topic: "orders",
        partition: 0,
        remoteTopic: "east.orders",
        sourceEnd: 130,
        sourceEndAt: null,
        sourceEndLive: false,
        replicatedUpTo: 100,
        lagRecords: 30,
        lagSeconds: 4,
        lastCopiedTimestamp: null,
        targetEnd: 100,
      },
      {
        topic: "orders",
        partition: 1,
        remoteTopic: "east.orders",
        sourceEnd: 50,
        sourceEndAt: null,
        sourceEndLive: false,
        replicatedUpTo: 50,
        lagRecords: 0,
        lagSeconds: 0,
        lastCopiedTimestamp: null,
        targetEnd: 50,
      },
    ],
    groups: [
      {
        group: "billing",
        sourceState: "unknown",
        sourceMembers: 0,
        targetState: "absent",
        targetMembers: 0,
        checkpointAt: null,
        checkpointAgeSeconds: 2,
        partitions: [
          {
            topic: "orders",
            partition: 0,
            remoteTopic: "east.orders",
            sourceOffset: 90,
            targetOffset: 90,
            maxDuplicates: 100,
            note: null,
          },
        ],
      },
    ],
    topics: [
      {
        topic: "orders",
        remoteTopic: "east.orders",
        sourcePartitions: null,
        targetPartitions: 2,
        configDrift: [],
      },
    ],
    runningFailover: null,
    ...overrides,
  };
}

describe("failover plan", () => {
  it("has the planned and the unplanned steps, the point of no return from the handover on", () => {
    const planned = planSteps("planned", options, { source: "east", target: "west" });
    expect(planned.map((s) => [s.id, s.state, s.pointOfNoReturn ?? false])).toEqual([
      ["plan", "pending", false],
      ["stop-producers", "pending", false],
      ["stop-consumers", "pending", false],
      ["drain", "pending", false],
      ["handover", "pending", true],
      ["pause-flow", "pending", true],
      ["reverse-flow", "skipped", true],
      ["activate-target", "pending", true],
    ]);
    expect(planned[1]?.description).toContain("10 s");
    expect(planSteps("unplanned", options, { source: "east", target: "west" }).map((s) => s.id)).toEqual([
      "plan",
      "assess-loss",
      "handover",
      "pause-flow",
      "reverse-flow",
      "activate-target",
    ]);
  });

  it("estimates the loss per partition from the last known source ends", () => {
    expect(lossFromLag(readiness())).toEqual({
      records: 30,
      seconds: 4,
      basis: "last-known",
      partitions: [{ topic: "orders", partition: 0, records: 30, seconds: 4 }],
    });
  });

  it("tells clients the new bootstrap servers, the remote topic names and a snippet per group", () => {
    const changes = clientChanges(readiness(), { source: "e:9092", target: "w:9092" });
    expect(changes.bootstrapServers).toEqual({ from: "e:9092", to: "w:9092" });
    expect(changes.topics).toEqual([{ from: "orders", to: "east.orders" }]);
    expect(changes.groups[0]?.snippet).toContain("bootstrap.servers=w:9092");
    expect(changes.groups[0]?.snippet).toContain("group.id=billing");
    expect(changes.groups[0]?.snippet).toContain("east.orders");
  });

  it("refuses a planned failover without the source, and plans an unplanned one with its expected loss", () => {
    const input = {
      options,
      readiness: readiness(),
      bootstrap: { source: "e", target: "w" },
      divergent: [],
      at: 0,
    };
    const planned = buildPlan({ ...input, mode: "planned" });
    expect(planned.refusal?.code).toBe("SOURCE_UNREACHABLE");
    expect(planned.expectedLoss.records).toBe(0);
    expect(planned.lossIfSourceLostNow.records).toBe(30);
    const unplanned = buildPlan({ ...input, mode: "unplanned" });
    expect(unplanned.refusal).toBeNull();
    expect(unplanned.expectedLoss.records).toBe(30);
  });
});
