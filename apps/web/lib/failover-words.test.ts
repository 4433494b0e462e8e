import { describe, expect, it } from "vitest";
import {
  currentStep,
  formatDuration,
  groupStateText,
  lossText,
  stepElapsedSeconds,
} from "./failover-words.ts";

const step = (state: "done" | "skipped" | "waiting" | "pending", id: string = state) =>
  ({
    id,
    state,
    title: id,
    description: "",
    startedAt: null,
    endedAt: null,
    waitingFor: null,
    outcome: null,
    error: null,
  }) as never;

describe("failover figures in words", () => {
  it("times a step until it ended, or until now while it runs", () => {
    const startedAt = "2026-01-01T00:00:00.000Z";
    const now = Date.parse("2026-01-01T00:00:07.500Z");
    expect(stepElapsedSeconds({ startedAt: null, endedAt: null }, now)).toBeNull();
    expect(stepElapsedSeconds({ startedAt, endedAt: null }, now)).toBe(7.5);
    expect(stepElapsedSeconds({ startedAt, endedAt: "2026-01-01T00:00:02.000Z" }, now)).toBe(2);
  });

  it("writes durations to a tenth of a second, longer ones in minutes", () => {
    expect(formatDuration(null)).toBe("—");
    expect(formatDuration(12.34)).toBe("12.3 s");
    expect(formatDuration(600)).toBe("10 min");
  });

  it("says what is lost, and over how long", () => {
    expect(lossText({ records: 0, seconds: 0 })).toBe("0 records");
    expect(lossText({ records: 1, seconds: null })).toBe("1 record");
    expect(lossText({ records: 1500, seconds: 3 })).toBe("1.5k records over 3.0 s");
  });

  it("counts members of active groups", () => {
    expect(groupStateText("active", 1)).toBe("active (1 member)");
    expect(groupStateText("empty", 0)).toBe("empty");
  });

  it("finds the step the run is on", () => {
    const steps = [step("done", "plan"), step("skipped", "x"), step("waiting", "stop"), step("pending", "y")];
    expect(currentStep(steps)?.id).toBe("stop");
    expect(currentStep([step("done")])).toBeUndefined();
  });
});
