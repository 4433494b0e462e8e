import { describe, expect, it } from "vitest";
import { evaluateRule, type RuleSettings, type RuleState } from "./evaluate-rule.ts";
import { observe } from "./observe-flow.ts";

const rule: RuleSettings = { kind: "LAG_RECORDS", threshold: 100, forSeconds: 10 };
const at = (s: number) => new Date(1_800_000_000_000 + s * 1000);
const ok: RuleState = { state: "OK", since: null };

describe("evaluateRule", () => {
  it("fires only after the condition held for forSeconds, and resolves as soon as it stops", () => {
    const steps: [number, number | null][] = [
      [0, 50],
      [1, 150],
      [6, 200],
      [11, 180],
      [12, 300],
      [13, 20],
    ];
    let state = ok;
    const seen: string[] = [];
    for (const [s, lag] of steps) {
      const observed = lag === null ? null : { value: lag, breached: lag > 100 };
      const next = evaluateRule(rule, state, observed, at(s));
      seen.push(`${next.state}${next.transition ? `:${next.transition}` : ""}`);
      state = next;
    }
    expect(seen).toEqual(["OK", "PENDING", "PENDING", "FIRING:firing", "FIRING", "OK:resolved"]);
  });

  it("a dip under the threshold starts the wait over; an unknown value changes nothing", () => {
    let state = evaluateRule(rule, ok, { value: 150, breached: true }, at(0));
    state = evaluateRule(rule, state, { value: 90, breached: false }, at(5));
    expect(state).toMatchObject({ state: "OK", transition: null });
    state = evaluateRule(rule, state, { value: 150, breached: true }, at(6));
    state = evaluateRule(rule, state, null, at(20));
    expect(state).toMatchObject({ state: "PENDING", since: at(6), transition: null });
    expect(evaluateRule(rule, state, { value: 150, breached: true }, at(16)).transition).toBe("firing");
  });

  it("forSeconds 0 fires at once", () => {
    expect(evaluateRule({ ...rule, forSeconds: 0 }, ok, { value: 101, breached: true }, at(0))).toMatchObject(
      {
        state: "FIRING",
        transition: "firing",
      },
    );
  });
});

describe("observe", () => {
  const flow = {
    state: "RUNNING" as const,
    enabled: true,
    live: {
      recordsPerSec: 0,
      bytesPerSec: 0,
      lagRecords: 500,
      maxLagSeconds: 3,
      latencyP99Ms: null,
      partitions: 1,
      workers: 1,
      updatedAt: null,
      topicsDrifting: 2,
    },
    leader: null,
    now: 0,
  };

  it("compares the flow's numbers, and a paused flow or an unknown value breaches nothing", () => {
    expect(observe(rule, flow)).toEqual({ value: 500, breached: true });
    expect(observe({ ...rule, kind: "LAG_SECONDS", threshold: 5 }, flow)).toEqual({
      value: 3,
      breached: false,
    });
    expect(observe(rule, { ...flow, state: "PAUSED" })).toEqual({ value: null, breached: false });
    expect(observe(rule, { ...flow, live: null })).toBeNull();
    expect(observe({ ...rule, kind: "HEARTBEAT_AGE" }, flow)).toBeNull();
    expect(observe({ ...rule, kind: "TOPIC_DRIFT", threshold: 0 }, flow)).toEqual({
      value: 2,
      breached: true,
    });
    expect(
      observe({ kind: "FLOW_ERROR", threshold: null, forSeconds: 0 }, { ...flow, state: "ERROR" }),
    ).toEqual({
      value: null,
      breached: true,
    });
  });
});
