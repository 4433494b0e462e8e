// The control plane goes away: Redis restarts (losing everything it held), Postgres restarts, and
// Postgres is unreachable for 30 s. Replication does not depend on either while partitions stay
// where they are: it goes on, state writes are retried, and the web app says what is degraded.
import { chromium } from "@playwright/test";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import { QueueName, WORKER_PRESENCE_PREFIX } from "../../packages/contracts/src/index.ts";
import { CHROMIUM, CHROMIUM_FLAGS } from "../../scripts/test-support/ensure-chromium.ts";
import { waitFor } from "../../scripts/test-support/kafka-records.ts";
import { ChaosRig } from "../harness/chaos-rig.ts";
import { expectNoLoss } from "../harness/expectations.ts";
import { trafficMs } from "../harness/profile.ts";

const RATE = 400;
const POSTGRES_OUTAGE_MS = 30_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const minuteOf = (ms: number) => Math.floor(ms / 60_000) * 60_000;

interface Readiness {
  status: string;
  checks: Record<"postgres" | "redis" | "workers", { ok: boolean; error: string | null; count?: number }>;
}

let rig: ChaosRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

async function readiness(r: ChaosRig): Promise<Readiness> {
  return (await (await fetch(`${r.webUrl}/api/v1/ready`)).json()) as Readiness;
}

/** The banner every page shows, as Chromium renders it (the sign-in page needs no session). */
async function statusBanner(r: ChaosRig): Promise<string> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
  try {
    const page = await browser.newPage();
    await page.goto(`${r.webUrl}/login`);
    const banner = page.getByRole("status", { name: "System status" });
    await banner.waitFor({ timeout: 20_000 });
    return (await banner.textContent()) ?? "";
  } finally {
    await browser.close();
  }
}

/** Each worker started the flow exactly once: nothing ran it twice, nothing restarted it. */
async function flowStartsPerWorker(r: ChaosRig): Promise<Record<string, number>> {
  const events = await r.fixture.db.flowEvent.findMany({ where: { flowId: r.flowId, kind: "flow.started" } });
  const starts: Record<string, number> = {};
  for (const e of events) {
    const worker = String((e.details as { workerId?: string }).workerId);
    starts[worker] = (starts[worker] ?? 0) + 1;
  }
  return starts;
}

describe("control plane outages", () => {
  it("Redis restarts and loses everything: workers and queues recover, no flow runs twice", async () => {
    rig = await ChaosRig.start({ scenario: "redis-restart", workers: 2, rate: RATE, web: true });
    await rig.waitCopying();
    await sleep(trafficMs);
    await rig.redis.kill();
    const copiedAtKill = await rig.copied();
    await waitFor(
      async () => (await readiness(rig!)).checks.redis.ok === false,
      10_000,
      "ready to name Redis",
    );
    const degraded = await readiness(rig);
    await sleep(3_000);
    expect(await rig.copied(), "copying while Redis is down").toBeGreaterThan(copiedAtKill);
    await rig.redis.start();
    const restartedAt = Date.now();
    // Presence comes back by itself (every 5 s), so the app is ready again.
    await waitFor(
      async () => {
        const ready = await readiness(rig!);
        return ready.status === "ready" && ready.checks.workers.count === 2;
      },
      30_000,
      "both workers present in the new Redis",
    );
    const readyAgainSeconds = (Date.now() - restartedAt) / 1000;
    const recoverySeconds = await rig.waitCaughtUp();
    await sleep(trafficMs);
    const result = await rig.finish({
      recoverySeconds: readyAgainSeconds,
      note: `down 3 s; ready again (both workers present) after ${readyAgainSeconds.toFixed(1)} s; copy caught up ${recoverySeconds.toFixed(1)} s`,
    });
    expectNoLoss(result);
    expect(result.row.duplicates).toBe(0);
    expect(degraded.status).toBe("not-ready");
    // Redis down, in the words ioredis or the probe's own timeout give it.
    expect(degraded.checks.redis).toMatchObject({
      ok: false,
      error: expect.stringMatching(/ECONNREFUSED|no answer within|max retries|Connection is closed/),
    });
    expect(await flowStartsPerWorker(rig)).toEqual({ w1: 1, w2: 1 });
    // The queues work on the new Redis: an operator's pause goes through a worker.
    const redis = new Redis(rig.redis.url, { maxRetriesPerRequest: null });
    const queue = new Queue(QueueName.FlowLifecycle, { connection: redis, prefix: "chaos" });
    try {
      await queue.add("pause", {
        flowId: rig.flowId,
        action: "pause",
        requestedBy: "chaos-test",
        requestedAt: new Date().toISOString(),
      });
      await waitFor(
        async () =>
          (await rig!.fixture.db.flow.findUniqueOrThrow({ where: { id: rig!.flowId } })).enabled === false,
        30_000,
        "the pause job to be handled",
      );
      expect(await redis.keys(`${WORKER_PRESENCE_PREFIX}*`)).toHaveLength(2);
    } finally {
      await queue.close();
      redis.disconnect();
    }
  });

  it("Postgres restarts: sessions are cut and come back, nothing is copied twice", async () => {
    rig = await ChaosRig.start({ scenario: "postgres-restart", workers: 2, rate: RATE });
    await rig.waitCopying();
    await sleep(trafficMs);
    await rig.postgres.cut();
    await sleep(2_000);
    await rig.postgres.restore();
    const recoverySeconds = await rig.waitCaughtUp();
    await sleep(trafficMs);
    const result = await rig.finish({ recoverySeconds, note: "every session reset; refused for 2 s" });
    expectNoLoss(result);
    expect(result.row.duplicates).toBe(0);
    expect(await flowStartsPerWorker(rig)).toEqual({ w1: 1, w2: 1 });
  });

  it("Postgres is unreachable for 30 s: replication goes on, the app says so, state catches up", async () => {
    rig = await ChaosRig.start({ scenario: "postgres-outage-30s", workers: 2, rate: RATE, web: true });
    await rig.waitCopying();
    await sleep(trafficMs);
    const cutAt = Date.now();
    await rig.postgres.cut();
    const copiedAtCut = await rig.copied();
    await sleep(5_000);
    const degraded = await readiness(rig);
    const banner = await statusBanner(rig);
    await sleep(POSTGRES_OUTAGE_MS - (Date.now() - cutAt));
    const copiedDuringOutage = (await rig.copied()) - copiedAtCut;
    await rig.postgres.restore();
    const restoredAt = Date.now();
    const recoverySeconds = await rig.waitCaughtUp();
    await sleep(trafficMs);
    const result = await rig.finish({
      recoverySeconds,
      note: `${copiedDuringOutage.toLocaleString("en-US")} records copied while Postgres was away`,
    });
    expectNoLoss(result);
    expect(result.row.duplicates).toBe(0);
    expect(copiedDuringOutage, "records copied during the outage").toBeGreaterThan(RATE * 20);
    expect(degraded.status).toBe("not-ready");
    expect(degraded.checks.postgres.ok).toBe(false);
    expect(degraded.checks.redis.ok).toBe(true);
    expect(banner).toMatch(/Postgres is unreachable .*Replication goes on/);
    expect((await readiness(rig)).status).toBe("ready");
    expect(await flowStartsPerWorker(rig)).toEqual({ w1: 1, w2: 1 });
    // The metrics history has every minute of the outage (written late, not lost).
    const minutes: number[] = [];
    for (let m = minuteOf(cutAt); m <= minuteOf(restoredAt); m += 60_000) minutes.push(m);
    await waitFor(
      async () => {
        const rows = await rig!.fixture.db.flowMetricMinute.findMany({
          where: { flowId: rig!.flowId, topic: rig!.topic, bucket: { in: minutes.map((m) => new Date(m)) } },
        });
        return minutes.every((m) => rows.some((r) => r.bucket.getTime() === m && r.records > 0n));
      },
      90_000,
      "the outage's minutes in the metrics history",
    );
  });
});
