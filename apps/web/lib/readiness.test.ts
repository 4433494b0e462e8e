import { describe, expect, it } from "vitest";
import { degradedMessages, isReady, workerCheck } from "./readiness.ts";

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

  it("says in words what is down and what still works", () => {
    expect(degradedMessages({ postgres: ok, redis: ok, workers: workerCheck(1, null) })).toEqual([]);
    const postgresDown = degradedMessages({
      postgres: { ok: false, error: "connect ECONNREFUSED" },
      redis: ok,
      workers: workerCheck(2, null),
    });
    expect(postgresDown).toHaveLength(1);
    expect(postgresDown[0]).toMatch(
      /^Postgres is unreachable \(connect ECONNREFUSED\)\. Replication goes on/,
    );
    const redisDown = degradedMessages({
      postgres: ok,
      redis: { ok: false, error: "timeout" },
      workers: workerCheck(null, "timeout"),
    });
    // Worker presence lives in Redis: unknown then, not "none running".
    expect(redisDown).toEqual([expect.stringMatching(/^Redis is unreachable \(timeout\)/)]);
    expect(degradedMessages({ postgres: ok, redis: ok, workers: workerCheck(0, null) })).toEqual([
      expect.stringMatching(/^No worker is running/),
    ]);
  });
});
