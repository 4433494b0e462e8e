// Processes come and go: one worker or all of them die with kill -9, a worker stops with SIGTERM
// or joins, the web app is killed. Every scenario runs under continuous keyed traffic and ends with
// a full check.
import { afterEach, describe, expect, it } from "vitest";
import { CHAOS_BOOTSTRAP_TOKEN, ChaosRig } from "../harness/chaos-rig.ts";
import { expectDuplicatesAtMost, expectNoLoss } from "../harness/expectations.ts";
import { trafficMs } from "../harness/profile.ts";

const RATE = 400;
/** Commit interval (1 s) and the batches in flight, with room: what a crash may copy twice. */
const CRASH_DUPLICATE_BOUND = RATE * 3;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let rig: ChaosRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

describe("process crashes", () => {
  it("kill -9 of one worker: its partitions are taken over, nothing is lost", async () => {
    rig = await ChaosRig.start({ scenario: "kill-9-one-worker", workers: 2, rate: RATE });
    await rig.waitCopying();
    await sleep(trafficMs);
    await rig.workers[0]!.kill("SIGKILL");
    const recoverySeconds = await rig.waitCaughtUp();
    await sleep(trafficMs);
    const result = await rig.finish({
      recoverySeconds,
      note: "survivor takes over after the 10 s session timeout",
    });
    expectNoLoss(result);
    expectDuplicatesAtMost(result, CRASH_DUPLICATE_BOUND);
    expect(new Set((await rig.positions()).map((p) => p.owner))).toEqual(new Set(["w2"]));
  });

  it("SIGTERM of one worker: a clean handover, zero duplicates", async () => {
    rig = await ChaosRig.start({ scenario: "sigterm-one-worker", workers: 2, rate: RATE });
    await rig.waitCopying();
    await sleep(trafficMs);
    const terminated = Date.now();
    expect(await rig.workers[0]!.kill("SIGTERM")).toBe(0);
    const stopSeconds = (Date.now() - terminated) / 1000;
    const recoverySeconds = await rig.waitCaughtUp();
    await sleep(trafficMs);
    const result = await rig.finish({
      recoverySeconds,
      note: `worker exited 0 in ${stopSeconds.toFixed(1)} s`,
    });
    expectNoLoss(result);
    expect(result.row.duplicates).toBe(0);
  });

  it("a worker joins mid-stream: partitions move to it without a record copied twice", async () => {
    rig = await ChaosRig.start({ scenario: "worker-joins", workers: 1, rate: RATE });
    await rig.waitCopying();
    await sleep(trafficMs);
    const joinedAt = Date.now();
    rig.addWorker("w2").start();
    await rig.waitCopying();
    const rebalanceSeconds = (Date.now() - joinedAt) / 1000;
    const recoverySeconds = await rig.waitCaughtUp();
    await sleep(trafficMs);
    const result = await rig.finish({
      recoverySeconds,
      note: `w2 owned partitions ${rebalanceSeconds.toFixed(1)} s after it started`,
    });
    expectNoLoss(result);
    expect(result.row.duplicates).toBe(0);
  });

  it("kill -9 of every worker, then a restart: the flow resumes from its stored positions", async () => {
    rig = await ChaosRig.start({ scenario: "kill-9-all-workers", workers: 2, rate: RATE });
    await rig.waitCopying();
    await sleep(trafficMs);
    await Promise.all(rig.workers.map((w) => w.kill("SIGKILL")));
    const copiedWhileDown = await rig.copied();
    await sleep(3_000);
    // Nothing copies while no worker runs.
    expect(await rig.copied()).toBe(copiedWhileDown);
    for (const worker of rig.workers) worker.start();
    const recoverySeconds = await rig.waitCaughtUp();
    await sleep(trafficMs);
    const result = await rig.finish({ recoverySeconds, note: "down 3 s; restarted with the same ids" });
    expectNoLoss(result);
    expectDuplicatesAtMost(result, CRASH_DUPLICATE_BOUND);
  });

  it("kill -9 of the web app: replication goes on without it; it comes back with its data", async () => {
    rig = await ChaosRig.start({ scenario: "kill-9-web", workers: 1, rate: RATE, web: true });
    await rig.waitCopying();
    await rig.web!.kill("SIGKILL");
    const before = await rig.copied();
    await sleep(trafficMs);
    expect(await rig.copied(), "copying while the web app is down").toBeGreaterThan(before);
    rig.web!.start();
    const webBackSeconds = (await rig.waitForWeb()) / 1000;
    const flows = await fetch(`${rig.webUrl}/api/v1/flows`, {
      headers: { authorization: `Bearer ${CHAOS_BOOTSTRAP_TOKEN}` },
    });
    expect(flows.status).toBe(200);
    expect(JSON.stringify(await flows.json())).toContain(rig.flowId);
    const result = await rig.finish({
      recoverySeconds: webBackSeconds,
      note: "recovery = web app answering again",
    });
    expectNoLoss(result);
    expect(result.row.duplicates).toBe(0);
  });
});
