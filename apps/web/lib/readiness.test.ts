import { describe, expect, it } from "vitest";
import { isReady, workerCheck } from "./readiness.ts";

const ok = { ok: true, error: null };

describe("readiness", () => {
  it("needs Postgres, Redis and at least one live worker", () => {
    expect(isReady({ postgres: ok, redis: ok, workers: workerCheck(2, null) })).toBe(true);
    expect(isReady({ postgres: ok, redis: ok, workers: workerCheck(0, null) })).toBe(false);
    expect(
      isReady({ postgres: { ok: false, error: "down" }, redis: ok, workers: workerCheck(1, null) }),
    ).toBe(false);
  });

  it("says why the workers are not ready", () => {
    expect(workerCheck(0, null).error).toMatch(/no worker is running/);
    expect(workerCheck(null, "ECONNREFUSED").error).toMatch(/ECONNREFUSED/);
  });
});
