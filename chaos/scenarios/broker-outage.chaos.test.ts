// Kafka goes away: the target broker restarts, the source broker restarts, both stay down longer
// than the consumer session timeout (10 s). The flow reports the outage and recovers by itself.
import { afterEach, describe, expect, it } from "vitest";
import { type ClusterAlias, startClusters, stopCluster } from "../../scripts/stack/index.ts";
import { ChaosRig } from "../harness/chaos-rig.ts";
import { expectDuplicatesAtMost, expectNoLoss } from "../harness/expectations.ts";
import { fullProfile, trafficMs } from "../harness/profile.ts";

const RATE = 400;
/** A broker restart can rewind a partition by the batches in flight and the last commit interval. */
const RESTART_DUPLICATE_BOUND = RATE * 5;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const report = (line: string) => console.log(`[stack] ${line}`);

let rig: ChaosRig | undefined;
afterEach(async () => {
  // Whatever happened, later scenarios need both brokers.
  await startClusters({ report });
  await rig?.close();
  rig = undefined;
});

async function flowState(r: ChaosRig): Promise<{ state: string; reason: string | null }> {
  const flow = await r.fixture.db.flow.findUniqueOrThrow({ where: { id: r.flowId } });
  return { state: flow.state, reason: flow.stateReason };
}

async function restart(aliases: ClusterAlias[], downMs: number): Promise<void> {
  for (const alias of aliases) await stopCluster(alias, { report });
  await sleep(downMs);
  await startClusters({ aliases, report });
}

/** Every state the flow went through, as recorded (a state change is an event, written even late). */
async function statesSeen(r: ChaosRig): Promise<string[]> {
  const events = await r.fixture.db.flowEvent.findMany({
    where: { flowId: r.flowId, kind: "flow.state" },
    orderBy: { createdAt: "asc" },
  });
  return events.map((e) => e.message);
}

describe("broker outages", () => {
  it("the target broker restarts mid-stream", async () => {
    rig = await ChaosRig.start({ scenario: "target-broker-restart", rate: RATE });
    await rig.waitCopying();
    await sleep(trafficMs);
    await restart(["west"], 5_000);
    const recoverySeconds = await rig.waitCaughtUp();
    await sleep(trafficMs);
    const result = await rig.finish({ recoverySeconds, note: "west down 5 s (controlled shutdown)" });
    expectNoLoss(result);
    expectDuplicatesAtMost(result, RESTART_DUPLICATE_BOUND);
    // The flow said what was wrong while west was away.
    const states = await statesSeen(rig);
    expect(
      states.some((s) => s.startsWith("ERROR") && s.includes("west")),
      states.join(" → "),
    ).toBe(true);
    expect((await flowState(rig)).state).toMatch(/RUNNING|CATCHING_UP/);
  });

  it("the source broker restarts mid-stream", async () => {
    rig = await ChaosRig.start({ scenario: "source-broker-restart", rate: RATE });
    await rig.waitCopying();
    await sleep(trafficMs);
    await restart(["east"], 5_000);
    const recoverySeconds = await rig.waitCaughtUp();
    await sleep(trafficMs);
    const result = await rig.finish({ recoverySeconds, note: "east down 5 s; the producer waits too" });
    expectNoLoss(result);
    expectDuplicatesAtMost(result, RESTART_DUPLICATE_BOUND);
  });

  it("both brokers are down longer than the consumer session timeout", async () => {
    const downMs = fullProfile ? 30_000 : 15_000;
    rig = await ChaosRig.start({ scenario: "both-brokers-down", rate: RATE });
    await rig.waitCopying();
    await sleep(trafficMs);
    await restart(["east", "west"], downMs);
    const recoverySeconds = await rig.waitCaughtUp(180_000);
    await sleep(trafficMs);
    const result = await rig.finish({
      recoverySeconds,
      note: `both down ${downMs / 1000} s (session timeout 10 s)`,
    });
    expectNoLoss(result);
    expectDuplicatesAtMost(result, RESTART_DUPLICATE_BOUND);
    const states = await statesSeen(rig);
    expect(
      states.some((s) => s.startsWith("ERROR")),
      states.join(" → "),
    ).toBe(true);
  });
});
