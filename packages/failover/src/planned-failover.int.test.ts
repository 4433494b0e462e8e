import type { FailoverReport } from "@mirrordeck/contracts";
import { createFailoverRun, findFailoverRun } from "@mirrordeck/db";
import type { FlowRunner } from "@mirrordeck/replication";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  account,
  consumedIndices,
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
  uniqueName,
  waitFor,
  westBootstrap,
} from "../../../scripts/test-support/kafka-records.ts";
import { dryRunFailover } from "./dry-run.ts";
import { flowWithConnections, localRunQueue, runAsOperator, startFlow } from "./test-support.ts";

describe("planned failover east→west (real clusters, in-process steps)", () => {
  let fixture: FlowFixture;
  let runner: FlowRunner | undefined;
  const processes: TrafficProcess[] = [];

  beforeAll(async () => {
    fixture = await migratedDatabaseWithClusters();
  });
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await runner?.stop();
    await fixture?.cleanup();
  });

  it("drains, hands the group over exactly, pauses, reverses, and the group resumes on west with no loss", async () => {
    const topic = uniqueName("orders");
    const group = uniqueName("orders-app");
    await createTopic(eastBootstrap, topic, 3);
    const flowId = await createFlowRow(fixture, { name: uniqueName("east-west"), topicsInclude: topic });
    await fixture.db.flow.update({
      where: { id: flowId },
      data: {
        enabled: true,
        settings: {
          emitCheckpointsIntervalSeconds: 1,
          refreshGroupsIntervalSeconds: 1,
          commitIntervalMs: 500,
        },
      },
    });
    const flow = await startFlow(fixture.db, flowId, "planned-failover-test");
    runner = flow.runner;

    const dir = trafficDir();
    const producer = startProducer(eastBootstrap, topic, 200, `${dir}/produced`);
    const eastConsumer = startConsumer(eastBootstrap, [topic], group, `${dir}/consumed-east`);
    processes.push(producer, eastConsumer);
    await waitFor(
      async () => consumedIndices(`${dir}/consumed-east`).length > 300,
      60_000,
      "the group consuming on east",
    );
    await waitFor(
      async () => flow.leader()?.groups.some((g) => g.group === group) ?? false,
      60_000,
      "a checkpoint of the group",
    );

    const queue = localRunQueue(fixture.db, () => flow.leader());
    const options = {
      mode: "planned" as const,
      quietPeriodSeconds: 3,
      createReverseFlow: true,
      divergentRecords: "skip" as const,
    };
    const ctx = queue.deps.openContext(await flowWithConnections(fixture.db, flowId));
    const plan = await dryRunFailover(ctx, "planned", options).finally(() => ctx.close());
    expect(plan.refusal).toBeNull();
    expect(plan.readiness.groups.map((g) => g.group)).toContain(group);
    expect(plan.clientChanges.topics).toContainEqual({ from: topic, to: `east.${topic}` });
    expect(plan.clientChanges.groups.find((g) => g.group === group)?.snippet).toContain(
      `bootstrap.servers=${westBootstrap}`,
    );
    expect(plan.steps.map((s) => s.id)).toEqual([
      "plan",
      "stop-producers",
      "stop-consumers",
      "drain",
      "handover",
      "pause-flow",
      "reverse-flow",
      "activate-target",
    ]);

    const created = await createFailoverRun(fixture.db, {
      flowId,
      mode: "PLANNED",
      options,
      plan: {},
      steps: plan.steps,
      requestedBy: "test",
    });
    if (!("created" in created)) throw new Error("run not created");
    const runId = created.created.id;
    // A second run on the same flow is refused while this one runs.
    const second = await createFailoverRun(fixture.db, {
      flowId,
      mode: "PLANNED",
      options,
      plan: {},
      steps: [],
      requestedBy: "test",
    });
    expect("running" in second && second.running.id).toBe(runId);

    await runAsOperator(queue, fixture.db, runId, { producers: producer, consumers: eastConsumer });
    const run = await findFailoverRun(fixture.db, runId);
    const report = run?.report as Partial<FailoverReport>;
    console.log(
      `planned failover: ${JSON.stringify({ state: run?.state, error: run?.error, rto: report.rtoSeconds, operatorWait: report.operatorWaitSeconds, rpo: report.rpoRecords })}`,
    );
    expect(run?.state).toBe("SUCCEEDED");
    expect(report.rpoRecords).toBe(0);
    expect(report.handedOver?.find((h) => h.group === group)?.partitions).toHaveLength(3);
    await runner.stop();
    runner = undefined;

    const stored = await fixture.db.flow.findUniqueOrThrow({ where: { id: flowId } });
    expect(stored.enabled).toBe(false);
    expect(stored.activeClusterId).toBe(fixture.westId);
    const reverse = await fixture.db.flow.findFirst({
      where: { sourceClusterId: fixture.westId, targetClusterId: fixture.eastId },
    });
    expect(reverse?.enabled).toBe(true);

    // The same group on west, from the handed-over offsets.
    const produced = producedIndices(`${dir}/produced`);
    const westConsumer = startConsumer(westBootstrap, [`east.${topic}`], group, `${dir}/consumed-west`);
    processes.push(westConsumer);
    await waitFor(
      async () =>
        account(produced, consumedIndices(`${dir}/consumed-east`), consumedIndices(`${dir}/consumed-west`))
          .lost === 0,
      60_000,
      "every produced record consumed on east or west",
    );
    await new Promise((r) => setTimeout(r, 2_000)); // anything read twice shows up now
    await westConsumer.stop();
    const result = account(
      produced,
      consumedIndices(`${dir}/consumed-east`),
      consumedIndices(`${dir}/consumed-west`),
    );
    console.log(`planned failover accounting: ${JSON.stringify(result)}`);
    expect(result.lost).toBe(0);
    // The group had consumed everything on east: its handover is exact.
    expect(result.duplicates).toBe(0);
  });
});
