// Kills east's broker: named "*broker-restart*" so the integration sequencer runs it last.

import { readFileSync } from "node:fs";
import type { FailoverOptions, FailoverReport } from "@mirrordeck/contracts";
import { createFailoverRun, findFailoverRun } from "@mirrordeck/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startClusters, stopCluster } from "../../../scripts/stack/index.ts";
import {
  account,
  consumedIndices,
  produceBurst,
  producedIndices,
  startConsumer,
  startProducer,
  type TrafficProcess,
  trafficDir,
} from "../../../scripts/test-support/failover-traffic.ts";
import {
  createFlowRow,
  type FlowFixture,
  migratedDatabaseWithClusters,
} from "../../../scripts/test-support/flow-fixtures.ts";
import {
  createTopic,
  eastBootstrap,
  kafkaFor,
  topicEndOffsets,
  uniqueName,
  waitFor,
  westBootstrap,
} from "../../../scripts/test-support/kafka-records.ts";
import { readDivergentRecords } from "./divergent-records.ts";
import { dryRunFailover } from "./dry-run.ts";
import { flowWithConnections, localRunQueue, runAsOperator, runState, startFlow } from "./test-support.ts";

const RATE = 200;
const BURST = 1_000_000;
/** The burst's batch: one more per producer may be on east without its acknowledgement. */
const BURST_BATCH = 2_000;
/** How often a worker records the source end offsets it saw (with its positions: commitIntervalMs). */
const WATERMARK_MS = 500;
const CHECKPOINT_SECONDS = 2;
const PARTITIONS = 3;
const report = (line: string) => console.log(`[stack] ${line}`);
const started = Date.now();
const say = (line: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${line}`);

/** The group's committed offset per partition of the topic (retried while a restarted coordinator loads). */
async function groupOffsets(bootstrap: string, groupId: string, topic: string): Promise<number[]> {
  const admin = kafkaFor(bootstrap).admin();
  await admin.connect();
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
        return (offsets?.partitions ?? [])
          .sort((a, b) => a.partition - b.partition)
          .map((p) => Number(p.offset));
      } catch (error) {
        if (attempt >= 30) throw error;
        await new Promise((r) => setTimeout(r, 1_000));
      }
    }
  } finally {
    await admin.disconnect();
  }
}

describe("unplanned failover when east's broker dies, then failback to east", () => {
  let fixture: FlowFixture;
  const processes: TrafficProcess[] = [];
  const runners: { stop: () => Promise<void> }[] = [];
  let eastDown = false;

  beforeAll(async () => {
    fixture = await migratedDatabaseWithClusters();
  });
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await Promise.all(runners.map((r) => r.stop().catch(() => {})));
    if (eastDown) await startClusters({ aliases: ["east"], report });
    await fixture?.cleanup();
  });

  it("estimates the loss, hands over the last checkpoints, measures the real loss when east returns, and fails back without mixing in the divergent records", async () => {
    const topic = uniqueName("orders");
    const remote = `east.${topic}`;
    const group = uniqueName("orders-app");
    await createTopic(eastBootstrap, topic, PARTITIONS);
    const flowId = await createFlowRow(fixture, { name: uniqueName("east-west"), topicsInclude: topic });
    const settings = {
      emitCheckpointsIntervalSeconds: CHECKPOINT_SECONDS,
      refreshGroupsIntervalSeconds: 1,
      commitIntervalMs: 500,
    };
    await fixture.db.flow.update({ where: { id: flowId }, data: { enabled: true, settings } });
    const forward = await startFlow(fixture.db, flowId, "unplanned-test");
    runners.push(forward.runner);
    const leaders = () => forward.leader();

    const dir = trafficDir();
    const producer = startProducer(eastBootstrap, topic, RATE, `${dir}/produced-east`);
    const eastConsumer = startConsumer(eastBootstrap, [topic], group, `${dir}/consumed-east`);
    processes.push(producer, eastConsumer);
    await waitFor(
      async () => consumedIndices(`${dir}/consumed-east`).length > 600,
      60_000,
      "the group on east",
    );
    await waitFor(
      async () =>
        leaders()?.groups.some(
          (g) => g.group === group && g.partitions.every((p) => p.translated !== null),
        ) ?? false,
      60_000,
      "checkpoints of the group",
    );

    // East dies in the middle of a burst (tens of thousands of records a second), so some are on
    // east and not yet on west. What east acknowledged is sampled, to know how much arrived after
    // the last end offsets a worker recorded (with each position commit, every 500 ms).
    const acknowledged: { at: number; count: number }[] = [];
    const sampler = setInterval(() => {
      acknowledged.push({ at: Date.now(), count: producedIndices(`${dir}/produced-east`).length });
    }, 100);
    // Three producers at once: faster than the copy, so west falls behind.
    const share = Math.ceil(BURST / 3);
    const burst = Promise.all(
      [0, 1, 2].map((i) =>
        produceBurst(eastBootstrap, topic, 2_000_000 + i * share, share, `${dir}/produced-east`).catch(
          () => {},
        ),
      ),
    );
    await new Promise((r) => setTimeout(r, 3_000));
    // The copy can keep up with a single producer on this machine: kill east only while west is
    // behind, so that there is a loss to estimate and measure (the test's premise).
    const sum = (ends: number[]) => ends.reduce((a, b) => a + b, 0);
    await waitFor(
      async () =>
        sum(await topicEndOffsets(eastBootstrap, topic)) -
          sum(await topicEndOffsets(westBootstrap, remote)) >=
        5_000,
      30_000,
      "west at least 5,000 records behind east",
    );
    // ── east dies mid-traffic ─────────────────────────────────────────────────────────────────
    say("killing east mid-burst");
    eastDown = true;
    await stopCluster("east", { hard: true, report });
    const killedAt = Date.now();
    clearInterval(sampler);
    const countAt = (t: number) => [...acknowledged].reverse().find((x) => x.at <= t)?.count ?? 0;
    // Acknowledged in the last checkpoint interval before the kill (plus the sampling period). The
    // workers record end offsets every 500 ms; the end they saw may be a fetch older than that.
    const lastInterval = acknowledged.at(-1)!.count - countAt(killedAt - CHECKPOINT_SECONDS * 1000 - 100);
    const inLastWatermark = acknowledged.at(-1)!.count - countAt(killedAt - WATERMARK_MS - 100);
    await Promise.all([producer.stop(), eastConsumer.stop(), burst]);
    // The worker notices and keeps what it copied (its final commit goes to Postgres).
    say("clients stopped");
    // Positions are committed every 500 ms: what reached west is in Postgres by now. Stopping the
    // runner waits for kafkajs to give up on east (a minute or more), so it stops in the background.
    await new Promise((r) => setTimeout(r, 1_500));
    const forwardStopped = forward.runner.stop().catch(() => {});
    runners.splice(runners.indexOf(forward.runner), 1);

    const queue = localRunQueue(fixture.db, () => null);
    const options: FailoverOptions = {
      mode: "unplanned",
      quietPeriodSeconds: 10,
      createReverseFlow: true,
      divergentRecords: "skip",
    };
    const ctx = queue.deps.openContext(await flowWithConnections(fixture.db, flowId));
    const plan = await dryRunFailover(ctx, "unplanned", options).finally(() => ctx.close());
    say(`dry-run: expected loss ${plan.expectedLoss.records}`);
    expect(plan.readiness.sourceReachable).toBe(false);
    expect(plan.readiness.go).toBe(false);
    expect(plan.readiness.unplannedGo).toBe(true);
    expect(plan.refusal).toBeNull();
    expect(plan.expectedLoss.basis).toBe("last-known");
    expect(plan.steps.map((s) => s.id)).toEqual([
      "plan",
      "assess-loss",
      "handover",
      "pause-flow",
      "reverse-flow",
      "activate-target",
    ]);

    const created = await createFailoverRun(fixture.db, {
      flowId,
      mode: "UNPLANNED",
      options,
      plan: {},
      steps: plan.steps,
      requestedBy: "test",
    });
    if (!("created" in created)) throw new Error("run not created");
    const runId = created.created.id;
    await queue.deps.schedule({ runId, step: "plan" }, 0);
    await queue.runUntil(
      async () => (await findFailoverRun(fixture.db, runId))?.state !== "RUNNING",
      async () => {},
      120_000,
    );
    say("unplanned run finished");
    const { run } = await runState(fixture.db, runId);
    const failover = run?.report as Partial<FailoverReport>;
    expect(run?.state, run?.error ?? "").toBe("SUCCEEDED");
    const estimated = failover.estimatedLoss!;
    console.log(
      `unplanned failover: ${JSON.stringify({
        rtoSeconds: failover.rtoSeconds,
        estimatedRecords: estimated.records,
        estimatedSeconds: estimated.seconds,
        handedOver: failover.handedOver?.map((h) => h.group),
        sinceKillSeconds: (Date.now() - killedAt) / 1000,
      })}`,
    );
    expect(failover.rpoBasis).toBe("estimated");
    expect(failover.handedOver?.find((h) => h.group === group)?.partitions).toHaveLength(PARTITIONS);
    const reverse = await fixture.db.flow.findFirstOrThrow({
      where: { sourceClusterId: fixture.westId, targetClusterId: fixture.eastId },
    });
    expect(reverse.enabled).toBe(true);
    expect((await fixture.db.flow.findUniqueOrThrow({ where: { id: flowId } })).activeClusterId).toBe(
      fixture.westId,
    );

    // Consumers resume on west from the last checkpoints.
    const westConsumer = startConsumer(westBootstrap, [remote], group, `${dir}/consumed-west`);
    processes.push(westConsumer);
    const westEnds = await topicEndOffsets(westBootstrap, remote);
    const onWest = westEnds.reduce((a, b) => a + b, 0);
    await waitFor(
      async () =>
        new Set([...consumedIndices(`${dir}/consumed-east`), ...consumedIndices(`${dir}/consumed-west`)])
          .size >= onWest,
      60_000,
      "the group on west reading everything west has",
    );

    // ── east returns: the real loss is measured ───────────────────────────────────────────────
    say("west consumer caught up; restarting east");
    await forwardStopped;
    await startClusters({ aliases: ["east"], report });
    eastDown = false;
    await queue.runUntil(
      async () =>
        ((await findFailoverRun(fixture.db, runId))?.report as Partial<FailoverReport> | undefined)
          ?.actualLoss != null,
      async () => {},
      120_000,
    );
    say("actual loss measured");
    const measured = (await findFailoverRun(fixture.db, runId))?.report as Partial<FailoverReport>;
    const actual = measured.actualLoss!;
    const eastEnds = await topicEndOffsets(eastBootstrap, topic);
    // Exact: each divergent range starts where west's copy ends and ends at east's end.
    for (let p = 0; p < PARTITIONS; p++) {
      const range = actual.divergent.find((r) => r.partition === p);
      if (eastEnds[p]! > westEnds[p]!) {
        expect(range).toEqual({
          topic,
          partition: p,
          fromOffset: westEnds[p],
          toOffset: eastEnds[p],
          records: eastEnds[p]! - westEnds[p]!,
        });
      } else {
        expect(range).toBeUndefined();
      }
    }
    // The operator's export reads exactly those records back from east.
    const exported: number[] = [];
    const first = actual.divergent[0]!;
    await readDivergentRecords({ alias: "east", bootstrapServers: eastBootstrap }, first, (record) => {
      exported.push(record.offset);
    });
    expect(exported).toEqual(Array.from({ length: first.records }, (_, i) => first.fromOffset + i));
    const appLoss = account(
      producedIndices(`${dir}/produced-east`),
      consumedIndices(`${dir}/consumed-east`),
      consumedIndices(`${dir}/consumed-west`),
    );
    console.log(
      `unplanned loss: ${JSON.stringify({
        estimated: estimated.records,
        actual: actual.records,
        divergent: actual.divergent,
        consumers: appLoss,
      })}`,
    );
    // The estimate comes from end offsets a worker saw at most one interval before the kill.
    console.log(
      `estimate off by ${actual.records - estimated.records}; acknowledged in the last checkpoint interval ${lastInterval}, in the last watermark interval ${inLastWatermark}`,
    );
    expect(actual.records).toBeGreaterThanOrEqual(estimated.records);
    // Each of the three burst producers may have one batch on east without its acknowledgement.
    expect(actual.records - estimated.records).toBeLessThanOrEqual(lastInterval + 3 * BURST_BATCH);
    // Records the applications never saw are among those that never reached west.
    expect(appLoss.lost).toBeLessThanOrEqual(actual.records);
    // Read twice: what the group consumed on east after its last checkpoint, plus MM2's precision.
    const committedOnEast = await groupOffsets(eastBootstrap, group, topic);
    const sinceCheckpoint = (failover.handedOver?.find((h) => h.group === group)?.partitions ?? []).reduce(
      (sum, p) => sum + Math.max(0, (committedOnEast[p.partition] ?? 0) - (p.sourceOffset ?? 0)),
      0,
    );
    console.log(
      `duplicates ${appLoss.duplicates}; consumed on east after the last checkpoint ${sinceCheckpoint}`,
    );
    expect(appLoss.duplicates).toBeLessThanOrEqual(sinceCheckpoint + 100 * PARTITIONS);
    await westConsumer.stop();

    // ── failback: west→east, planned, once producers and consumers moved to west ─────────────
    await createTopic(westBootstrap, topic, PARTITIONS);
    const back = await startFlow(fixture.db, reverse.id, "failback-test");
    runners.push(back.runner);
    const westProducer = startProducer(westBootstrap, topic, RATE, `${dir}/produced-west`, 1_000_000);
    const westGroup = startConsumer(westBootstrap, [remote, topic], group, `${dir}/consumed-west-2`);
    processes.push(westProducer, westGroup);
    await waitFor(
      async () => consumedIndices(`${dir}/consumed-west-2`).filter((i) => i >= 1_000_000).length > 300,
      60_000,
      "the group reading west's own topic",
    );
    await waitFor(
      async () => back.leader()?.groups.some((g) => g.group === group) ?? false,
      60_000,
      "a checkpoint of the group by the reverse flow",
    );
    say("failback: dry-run");
    const backQueue = localRunQueue(fixture.db, () => back.leader());
    const dryRun = async (id: string, o: FailoverOptions) => {
      const c = backQueue.deps.openContext(await flowWithConnections(fixture.db, id));
      return dryRunFailover(c, o.mode, o).finally(() => c.close());
    };
    const backOptions: FailoverOptions = { ...options, mode: "planned", quietPeriodSeconds: 3 };
    // The group's member that died with east stays registered there until its session expires.
    let backPlan = await dryRun(reverse.id, backOptions);
    await waitFor(
      async () => {
        backPlan = await dryRun(reverse.id, backOptions);
        return backPlan.refusal === null;
      },
      60_000,
      "the failback plan to be go",
    );
    expect(backPlan.refusal).toBeNull();
    // The records east kept from before the crash are reported, exactly as measured.
    expect(backPlan.divergent).toEqual(actual.divergent);
    const backRun = await createFailoverRun(fixture.db, {
      flowId: reverse.id,
      mode: "PLANNED",
      options: backOptions,
      plan: {},
      steps: backPlan.steps,
      requestedBy: "test",
    });
    if (!("created" in backRun)) throw new Error("failback run not created");
    const backRunId = backRun.created.id;
    await runAsOperator(backQueue, fixture.db, backRunId, { producers: westProducer, consumers: westGroup });
    say("failback run finished");
    const backSteps = ((await findFailoverRun(fixture.db, backRunId))?.steps ?? []) as {
      id: string;
      startedAt: string | null;
      endedAt: string | null;
      memo?: unknown;
    }[];
    console.log(
      `failback handover timings: ${JSON.stringify(backSteps.find((x) => x.id === "handover")?.memo)}`,
    );
    console.log(
      `failback steps (s): ${backSteps.map((x) => `${x.id} ${x.startedAt && x.endedAt ? ((Date.parse(x.endedAt) - Date.parse(x.startedAt)) / 1000).toFixed(1) : "-"}`).join(", ")}`,
    );
    const waits = await fixture.db.flowEvent.findMany({
      where: { flowId: reverse.id, kind: "failover.step.waiting" },
      orderBy: { id: "asc" },
    });
    console.log(`failback waits: ${waits.map((e) => e.message).join(" | ")}`);
    const backState = await runState(fixture.db, backRunId);
    const failback = backState.run?.report as Partial<FailoverReport>;
    expect(backState.run?.state, backState.run?.error ?? "").toBe("SUCCEEDED");
    expect(failback.rpoRecords).toBe(0);
    // Both directions agree that east is the active side again.
    const sides = await fixture.db.flow.findMany({ where: { id: { in: [flowId, reverse.id] } } });
    expect(sides.find((f) => f.id === flowId)?.activeClusterId).toBeNull();
    expect(sides.find((f) => f.id === reverse.id)?.activeClusterId).toBe(fixture.eastId);
    // The group returns to east's own topic after the divergent records, never into them.
    const origin = failback.handedOver
      ?.find((h) => h.group === group)
      ?.partitions.filter((p) => p.remoteTopic === topic);
    expect(origin).toHaveLength(PARTITIONS);
    for (const p of origin!) {
      const range = actual.divergent.find((r) => r.partition === p.partition);
      expect(p.targetOffset).toBe(range?.toOffset ?? westEnds[p.partition]);
    }
    await back.runner.stop();
    runners.splice(runners.indexOf(back.runner), 1);

    const eastAgain = startConsumer(eastBootstrap, [topic, `west.${topic}`], group, `${dir}/consumed-east-2`);
    processes.push(eastAgain);
    const producedWest = producedIndices(`${dir}/produced-west`);
    await waitFor(
      async () =>
        account(
          producedWest,
          consumedIndices(`${dir}/consumed-west-2`),
          consumedIndices(`${dir}/consumed-east-2`),
        ).lost === 0,
      60_000,
      "every record produced on west consumed on west or east",
    );
    await new Promise((r) => setTimeout(r, 2_000));
    await eastAgain.stop();
    const divergentIndices = new Set<number>();
    const afterFailback = consumedIndices(`${dir}/consumed-east-2`);
    for (const line of afterFailback) if (line < 1_000_000) divergentIndices.add(line);
    const failbackAccount = account(producedWest, consumedIndices(`${dir}/consumed-west-2`), afterFailback);
    console.log(
      `failback: ${JSON.stringify({ rtoSeconds: failback.rtoSeconds, accounting: failbackAccount, eastRecordsReadAgain: divergentIndices.size })}`,
    );
    if (divergentIndices.size > 0) {
      console.log(`handed over on failback: ${JSON.stringify(failback.handedOver)}`);
      const lines = readFileSync(`${dir}/consumed-east-2`, "utf8").split("\n");
      console.log(
        `read again on east: ${lines
          .filter((l) => Number(l.split(" ")[3]) < 1_000_000)
          .slice(0, 5)
          .join(" | ")}`,
      );
    }
    expect(failbackAccount.lost).toBe(0);
    // Nothing of east's own topic is read again: the divergent records were skipped, not mixed in.
    expect(divergentIndices.size).toBe(0);
  }, 600_000);
});
