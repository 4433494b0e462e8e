import type { FailoverReadiness } from "@mirrordeck/contracts";
import { describe, expect, it } from "vitest";
import { readinessReasons } from "./readiness-reasons.ts";

type Observed = Omit<FailoverReadiness, "go" | "unplannedGo" | "reasons">;

function observed(overrides: Partial<Observed> = {}): Observed {
  return {
    flowId: "f",
    at: new Date(0).toISOString(),
    sourceAlias: "east",
    targetAlias: "west",
    activeAlias: "east",
    sourceReachable: true,
    sourceError: null,
    targetReachable: true,
    targetError: null,
    heartbeatAgeSeconds: 1,
    totals: { partitions: 1, lagRecords: 0, maxLagSeconds: 0 },
    partitions: [],
    groups: [],
    topics: [
      {
        topic: "orders",
        remoteTopic: "east.orders",
        sourcePartitions: 3,
        targetPartitions: 3,
        configDrift: [],
      },
    ],
    runningFailover: null,
    ...overrides,
  };
}

const settings = { flowEnabled: true, heartbeatIntervalSeconds: 1, checkpointIntervalSeconds: 60 };
const group = (g: Partial<Observed["groups"][number]>): Observed["groups"][number] => ({
  group: "app",
  sourceState: "empty",
  sourceMembers: 0,
  targetState: "absent",
  targetMembers: 0,
  checkpointAt: null,
  checkpointAgeSeconds: 5,
  partitions: [],
  ...g,
});

describe("readinessReasons", () => {
  it("is go, planned and unplanned, when both sides answer and nothing blocks", () => {
    expect(readinessReasons(observed(), settings)).toEqual({ go: true, unplannedGo: true, reasons: [] });
  });

  it("allows only an unplanned failover while the source is unreachable", () => {
    const verdict = readinessReasons(observed({ sourceReachable: false, sourceError: "timeout" }), settings);
    expect(verdict.go).toBe(false);
    expect(verdict.unplannedGo).toBe(true);
    expect(verdict.reasons.map((r) => r.code)).toEqual(["SOURCE_UNREACHABLE"]);
  });

  it("blocks both kinds for an active target group, a missing or smaller remote topic, or a run in progress", () => {
    const cases: Partial<Observed>[] = [
      { groups: [group({ targetState: "active", targetMembers: 2 })] },
      {
        topics: [
          {
            topic: "orders",
            remoteTopic: "east.orders",
            sourcePartitions: 3,
            targetPartitions: null,
            configDrift: [],
          },
        ],
      },
      {
        topics: [
          {
            topic: "orders",
            remoteTopic: "east.orders",
            sourcePartitions: 3,
            targetPartitions: 2,
            configDrift: [],
          },
        ],
      },
      { runningFailover: { id: "r", mode: "planned" } },
      { activeAlias: "west" },
      { targetReachable: false, targetError: "refused" },
    ];
    for (const c of cases) {
      const verdict = readinessReasons(observed(c), settings);
      expect(verdict.go, JSON.stringify(c)).toBe(false);
      expect(verdict.unplannedGo, JSON.stringify(c)).toBe(false);
    }
  });

  it("warns, without blocking, about lag, active source groups, stale checkpoints and heartbeats, and config drift", () => {
    const verdict = readinessReasons(
      observed({
        heartbeatAgeSeconds: 120,
        totals: { partitions: 1, lagRecords: 42, maxLagSeconds: 30 },
        groups: [group({ sourceState: "active", sourceMembers: 1, checkpointAgeSeconds: 500 })],
        topics: [
          {
            topic: "orders",
            remoteTopic: "east.orders",
            sourcePartitions: 3,
            targetPartitions: 3,
            configDrift: [{ key: "retention.ms", source: "1000", target: "2000" }],
          },
        ],
      }),
      settings,
    );
    expect(verdict.go).toBe(true);
    expect(verdict.reasons.map((r) => [r.level, r.code])).toEqual([
      ["warn", "CONFIG_DRIFT"],
      ["warn", "SOURCE_GROUP_ACTIVE"],
      ["warn", "CHECKPOINT_STALE"],
      ["warn", "LAG"],
      ["warn", "HEARTBEAT_STALE"],
    ]);
    expect(verdict.reasons.find((r) => r.code === "LAG")?.message).toContain("42 record(s)");
  });

  it("does not warn about the copy loop's normal stride (a few hundred ms of lag)", () => {
    const verdict = readinessReasons(
      observed({ totals: { partitions: 1, lagRecords: 80, maxLagSeconds: 0.4 } }),
      settings,
    );
    expect(verdict.reasons).toEqual([]);
  });

  it("blocks a planned failover of a paused flow with lag: nothing would drain it", () => {
    const verdict = readinessReasons(
      observed({ totals: { partitions: 1, lagRecords: 5, maxLagSeconds: 1 } }),
      {
        ...settings,
        flowEnabled: false,
      },
    );
    expect(verdict.go).toBe(false);
    expect(verdict.unplannedGo).toBe(true);
  });
});
