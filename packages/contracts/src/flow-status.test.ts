import { describe, expect, it } from "vitest";
import { type FlowLeaderStatus, replicatedHeartbeatHealth } from "./flow-status.ts";

function status(heartbeats: Partial<FlowLeaderStatus["heartbeats"]>): Pick<FlowLeaderStatus, "heartbeats"> {
  return {
    heartbeats: {
      enabled: true,
      lastEmittedAt: null,
      emitError: null,
      replicatedTopic: "east.heartbeats",
      lastReplicatedTimestamp: null,
      watchingSince: 1_000,
      ...heartbeats,
    },
  };
}

describe("replicatedHeartbeatHealth", () => {
  it("is healthy while replicated heartbeats are recent", () => {
    expect(replicatedHeartbeatHealth(status({ lastReplicatedTimestamp: 90_000 }), 95_000)).toEqual({
      ageMs: 5_000,
      stale: false,
    });
  });

  it("turns stale when replicated heartbeats stop, even though the leader keeps reporting", () => {
    expect(replicatedHeartbeatHealth(status({ lastReplicatedTimestamp: 10_000 }), 95_000)).toEqual({
      ageMs: 85_000,
      stale: true,
    });
  });

  it("turns stale when none ever arrived after waiting past the threshold", () => {
    expect(replicatedHeartbeatHealth(status({}), 20_000).stale).toBe(false);
    expect(replicatedHeartbeatHealth(status({}), 40_000)).toEqual({ ageMs: null, stale: true });
  });

  it("says nothing when heartbeats are off or no leader reported", () => {
    expect(replicatedHeartbeatHealth(status({ enabled: false }), 1e9)).toEqual({ ageMs: null, stale: false });
    expect(replicatedHeartbeatHealth(null, 1e9)).toEqual({ ageMs: null, stale: false });
  });
});
