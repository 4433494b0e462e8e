import type { AlertNotification, FlowMetricsSnapshot } from "@mirrordeck/contracts";
import {
  createAlertRule,
  listAlertRules,
  listFlowEvents,
  listRulesToEvaluate,
  MetricsHistory,
  saveRuleEvaluation,
  updateAlertRule,
} from "@mirrordeck/db";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createFlowRow,
  type FlowFixture,
  migratedDatabaseWithClusters,
} from "../../../../scripts/test-support/flow-fixtures.ts";
import { uniqueName } from "../../../../scripts/test-support/kafka-records.ts";
import { createLogger } from "../logger.ts";
import { MetricsPublisher } from "../metrics-publisher.ts";
import { RetryingWrites } from "../retrying-writes.ts";
import { evaluateAlertRules } from "./alert-evaluation.ts";

// Rules evaluated against what a worker publishes (through the worker's own MetricsPublisher, into
// the stack's Redis) and the flow as stored in Postgres.

let fixture: FlowFixture;
let redis: Redis;
let publisher: MetricsPublisher;
const log = createLogger("warn", "alert-test");

beforeAll(async () => {
  fixture = await migratedDatabaseWithClusters();
  redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
  publisher = new MetricsPublisher(redis, new MetricsHistory(fixture.db), log, new RetryingWrites(log));
});
afterAll(async () => {
  await redis.quit();
  await fixture.cleanup();
});

function snapshot(flowId: string, lag: number): FlowMetricsSnapshot {
  return {
    flowId,
    workerId: "w1",
    at: new Date().toISOString(),
    intervalMs: 2_000,
    partitions: [0, 1].map((partition) => ({
      topic: "orders",
      partition,
      remoteTopic: "east.orders",
      state: "running" as const,
      error: null,
      logEndOffset: 1_000,
      nextOffset: 1_000 - lag / 2,
      lagRecords: lag / 2,
      lagSeconds: 1,
      recordsPerSec: 10,
      bytesPerSec: 100,
      latencyP50Ms: 5,
      latencyP99Ms: 9,
      recordsCopied: 10,
    })),
  };
}

describe("alert evaluation", () => {
  it("a lag rule goes PENDING, fires after its duration, resolves when the lag is gone; a paused flow's rule stays quiet", async () => {
    const name = uniqueName("alerting");
    const flowId = await createFlowRow(fixture, { name, topicsInclude: "orders" });
    const paused = await createFlowRow(fixture, { name: uniqueName("paused"), topicsInclude: "orders" });
    await fixture.db.flow.update({ where: { id: flowId }, data: { enabled: true, state: "RUNNING" } });
    await fixture.db.flow.update({ where: { id: paused }, data: { enabled: false, state: "PAUSED" } });
    const rule = await createAlertRule(fixture.db, flowId, {
      kind: "LAG_RECORDS",
      threshold: 100,
      forSeconds: 2,
      enabled: true,
    });
    await createAlertRule(fixture.db, paused, {
      kind: "LAG_RECORDS",
      threshold: 100,
      forSeconds: 0,
      enabled: true,
    });
    const sent: AlertNotification[] = [];
    const evaluate = (at: number) =>
      evaluateAlertRules({
        db: fixture.db,
        redis,
        notify: async (n) => {
          sent.push(n);
        },
        now: new Date(at),
      });
    const t0 = Date.now();

    publisher.publish(snapshot(flowId, 500));
    publisher.publish(snapshot(paused, 500));
    await new Promise((resolve) => setTimeout(resolve, 200)); // the publish is fire-and-forget
    expect(await evaluate(t0)).toEqual([]);
    expect((await listAlertRules(fixture.db, flowId))[0]).toMatchObject({ state: "PENDING", lastValue: 500 });

    const fired = await evaluate(t0 + 2_500);
    expect(fired).toMatchObject([{ status: "firing", flowId, ruleId: rule.id, value: 500 }]);
    expect(fired[0]!.summary).toBe(`${name}: lag 500 records is above 100 records for 2 s or more`);
    expect(await evaluate(t0 + 3_000)).toEqual([]); // still firing: no second notification

    publisher.publish(snapshot(flowId, 10));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await evaluate(t0 + 3_500)).toMatchObject([{ status: "resolved", value: 10 }]);
    expect((await listAlertRules(fixture.db, flowId))[0]).toMatchObject({ state: "OK", since: null });
    expect((await listAlertRules(fixture.db, paused))[0]).toMatchObject({ state: "OK" });

    expect(sent.map((n) => `${n.flowId === flowId ? "flow" : "other"}:${n.status}`)).toEqual([
      "flow:firing",
      "flow:resolved",
    ]);
    const events = (await listFlowEvents(fixture.db, flowId, 50)).map((e) => e.kind);
    expect(events.filter((k) => k.startsWith("alert."))).toEqual(
      expect.arrayContaining(["alert.firing", "alert.resolved"]),
    );
  });

  it("an edited firing rule is judged by its new threshold and resolves; one disabled while firing is closed; a new kind starts over", async () => {
    const name = uniqueName("edited");
    const flowId = await createFlowRow(fixture, { name, topicsInclude: "orders" });
    await fixture.db.flow.update({ where: { id: flowId }, data: { enabled: true, state: "RUNNING" } });
    const settings = { kind: "LAG_RECORDS" as const, threshold: 100, forSeconds: 0, enabled: true };
    const rule = await createAlertRule(fixture.db, flowId, settings);
    const sent: AlertNotification[] = [];
    const evaluate = async (at: number) =>
      (
        await evaluateAlertRules({
          db: fixture.db,
          redis,
          notify: async (n) => {
            if (n.flowId === flowId) sent.push(n);
          },
          now: new Date(at),
        })
      ).filter((n) => n.flowId === flowId);
    const stateOf = async () => (await listAlertRules(fixture.db, flowId))[0];
    const t0 = Date.now();
    publisher.publish(snapshot(flowId, 500));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await evaluate(t0)).toMatchObject([{ status: "firing", value: 500 }]);

    // Raised above the lag: still firing until evaluated, then resolved under the new threshold.
    await updateAlertRule(fixture.db, flowId, rule.id, { ...settings, threshold: 1_000 });
    expect(await stateOf()).toMatchObject({ state: "FIRING", threshold: 1_000 });
    const resolved = await evaluate(t0 + 1_000);
    expect(resolved).toMatchObject([{ status: "resolved", value: 500, threshold: 1_000 }]);
    expect(resolved[0]!.summary).toBe(`${name}: lag 500 records is back under 1,000 records`);

    // Lowered again it fires; disabled while firing it is closed, once.
    await updateAlertRule(fixture.db, flowId, rule.id, settings);
    expect(await evaluate(t0 + 2_000)).toMatchObject([{ status: "firing" }]);
    await updateAlertRule(fixture.db, flowId, rule.id, { ...settings, enabled: false });
    const closed = await evaluate(t0 + 3_000);
    expect(closed.map((n) => [n.status, n.summary])).toEqual([
      ["resolved", `${name}: the alert is closed, its rule was disabled while it fired`],
    ]);
    expect(await stateOf()).toMatchObject({ state: "OK", enabled: false });
    expect(await evaluate(t0 + 4_000)).toEqual([]);

    // Enabled again it fires; given another kind it is a new alert, starting from OK.
    await updateAlertRule(fixture.db, flowId, rule.id, settings);
    expect(await evaluate(t0 + 5_000)).toMatchObject([{ status: "firing" }]);
    await updateAlertRule(fixture.db, flowId, rule.id, { ...settings, kind: "LAG_SECONDS", threshold: 60 });
    expect(await stateOf()).toMatchObject({ state: "OK", since: null, lastValue: null });
    expect(sent.map((n) => n.status)).toEqual(["firing", "resolved", "firing", "resolved", "firing"]);

    // Disabled while PENDING, enabled again: it waits its duration again instead of firing at once.
    const slow = { kind: "LAG_RECORDS" as const, threshold: 100, forSeconds: 60, enabled: true };
    await updateAlertRule(fixture.db, flowId, rule.id, slow);
    expect(await evaluate(t0 + 6_000)).toEqual([]);
    expect(await stateOf()).toMatchObject({ state: "PENDING" });
    await updateAlertRule(fixture.db, flowId, rule.id, { ...slow, enabled: false });
    expect(await stateOf()).toMatchObject({ state: "OK", since: null });
    await updateAlertRule(fixture.db, flowId, rule.id, slow);
    expect(await evaluate(t0 + 120_000)).toEqual([]);
    expect(await stateOf()).toMatchObject({ state: "PENDING" });

    // An evaluation of settings edited meanwhile is not saved (and so notifies nothing).
    const [read] = (await listRulesToEvaluate(fixture.db)).filter((r) => r.id === rule.id);
    await new Promise((resolve) => setTimeout(resolve, 5)); // updated_at counts milliseconds
    await updateAlertRule(fixture.db, flowId, rule.id, { ...slow, threshold: 1_000 });
    const stale = { state: "FIRING" as const, since: new Date(), lastValue: 500, evaluatedAt: new Date() };
    expect(await saveRuleEvaluation(fixture.db, read!, stale)).toBe(false);
    expect(await stateOf()).toMatchObject({ state: "PENDING", threshold: 1_000 });
  });

  it("a drift rule fires on the remote topics a worker reports out of step, and resolves when none are", async () => {
    const name = uniqueName("drifting");
    const flowId = await createFlowRow(fixture, { name, topicsInclude: "orders" });
    await fixture.db.flow.update({ where: { id: flowId }, data: { enabled: true, state: "RUNNING" } });
    await createAlertRule(fixture.db, flowId, {
      kind: "TOPIC_DRIFT",
      threshold: 0,
      forSeconds: 0,
      enabled: true,
    });
    const drifting = (count: number): FlowMetricsSnapshot => ({
      ...snapshot(flowId, 0),
      topicDrift: {
        count,
        topics: count === 0 ? [] : [{ topic: "orders", remoteTopic: "east.orders", reason: "too small" }],
      },
    });
    const evaluate = (at: number) =>
      evaluateAlertRules({ db: fixture.db, redis, notify: async () => {}, now: new Date(at) });
    const t0 = Date.now();
    publisher.publish(drifting(1));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const fired = (await evaluate(t0)).filter((n) => n.flowId === flowId);
    expect(fired.map((n) => n.summary)).toEqual([
      `${name}: more than 0 target topics out of step with their source (1) for 0 s or more`,
    ]);
    publisher.publish(drifting(0));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await evaluate(t0 + 1_000)).filter((n) => n.flowId === flowId)).toMatchObject([
      { status: "resolved", kind: "TOPIC_DRIFT", value: 0 },
    ]);
  });
});
