// Failover over the API with real workers: the refusals, and a worker killed (SIGKILL) in the middle
// of the drain step, after which another worker finishes the run with the same result.
import type { ChildProcess } from "node:child_process";
import type { FailoverRunView } from "@mirrordeck/contracts";
import { type APIRequestContext, expect, test } from "@playwright/test";
import {
  account,
  consumedIndices,
  producedIndices,
  startConsumer,
  startProducer,
  type TrafficProcess,
  trafficDir,
} from "../../../scripts/test-support/failover-traffic.ts";
import { eastBootstrap, westBootstrap } from "../../e2e-env.ts";
import { admin, bearer, expectError } from "../../support/api.ts";
import { tokenFor } from "../../support/auth.ts";
import { createFailoverFlow } from "../../support/failover-flow.ts";
import { startWorker, stopWorker } from "../../support/worker.ts";

test.describe.configure({ mode: "serial" });

const stamp = Date.now().toString(36);
const source = `fo-src-${stamp}`;
const target = `fo-tgt-${stamp}`;
const topic = `fo-orders-${stamp}`;
const remote = `${source}.${topic}`;
const group = `fo-app-${stamp}`;
const PARTITIONS = 3;
const workers = new Map<string, ChildProcess>();
const processes: TrafficProcess[] = [];
const dir = trafficDir();
let flowId = "";

test.beforeAll(async ({ request }) => {
  flowId = await createFailoverFlow(request, { source, target, topic, partitions: PARTITIONS });
  for (const name of ["a", "b"]) workers.set(`e2e-fo-${name}-${process.pid}`, startWorker(`fo-${name}`));
  expect((await request.post(`/api/v1/flows/${flowId}/start`, { headers: admin })).status()).toBe(202);
});

test.afterAll(async ({ request }) => {
  await Promise.all(processes.map((p) => p.stop()));
  await Promise.all([...workers.values()].map((w) => stopWorker(w)));
  const flows = (await (await request.get("/api/v1/flows", { headers: admin })).json()) as {
    items: { id: string; sourceAlias: string; targetAlias: string }[];
  };
  for (const f of flows.items.filter((x) => [source, target].includes(x.sourceAlias)))
    await request.delete(`/api/v1/flows/${f.id}`, { headers: admin });
  for (const alias of [source, target]) await request.delete(`/api/v1/clusters/${alias}`, { headers: admin });
});

async function run(request: APIRequestContext, runId: string): Promise<FailoverRunView> {
  return (await (
    await request.get(`/api/v1/flows/${flowId}/failovers/${runId}`, { headers: admin })
  ).json()) as FailoverRunView;
}

/** The worker that last wrote a failover step event of this run. */
async function lastStepWorker(
  request: APIRequestContext,
  runId: string,
  step: string,
): Promise<string | null> {
  const events = (await (await request.get(`/api/v1/flows/${flowId}/events`, { headers: admin })).json()) as {
    items: { kind: string; details: { runId?: string; step?: string; workerId?: string } }[];
  };
  const hit = events.items.find(
    (e) => e.kind.startsWith("failover.step.") && e.details.runId === runId && e.details.step === step,
  );
  return hit?.details.workerId ?? null;
}

test("refusals: a viewer, target groups in use, a second run while one runs", async ({ request }) => {
  test.setTimeout(180_000);
  const producer = startProducer(eastBootstrap, topic, 100, `${dir}/produced`);
  const consumer = startConsumer(eastBootstrap, [topic], group, `${dir}/consumed-east`);
  processes.push(producer, consumer);
  await expect
    .poll(
      async () => {
        const readiness = (await (
          await request.get(`/api/v1/flows/${flowId}/readiness`, { headers: admin })
        ).json()) as {
          groups: { group: string; checkpointAt: string | null }[];
        };
        return readiness.groups.find((g) => g.group === group)?.checkpointAt ?? null;
      },
      { timeout: 90_000, message: "a checkpoint of the group in the readiness view" },
    )
    .not.toBeNull();

  const viewer = bearer(await tokenFor(request, "VIEWER"));
  await expectError(
    await request.post(`/api/v1/flows/${flowId}/failover`, { headers: viewer, data: {} }),
    403,
    "FORBIDDEN",
  );
  // A viewer may look: readiness and dry-runs are not theirs, the readiness view is.
  expect((await request.get(`/api/v1/flows/${flowId}/readiness`, { headers: viewer })).status()).toBe(200);

  // The same group consuming on the target: its offsets cannot be handed over.
  const onTarget = startConsumer(westBootstrap, [remote], group, `${dir}/consumed-west-early`);
  await expect
    .poll(
      async () => {
        const readiness = (await (
          await request.get(`/api/v1/flows/${flowId}/readiness`, { headers: admin })
        ).json()) as { groups: { group: string; targetState: string }[] };
        return readiness.groups.find((g) => g.group === group)?.targetState;
      },
      { timeout: 60_000, message: "the group seen active on the target" },
    )
    .toBe("active");
  const refused = await request.post(`/api/v1/flows/${flowId}/failover`, {
    headers: admin,
    data: { dryRun: false },
  });
  await expectError(refused, 409, "FAILOVER_NOT_READY");
  expect(((await refused.json()) as { error: { details: { reason: string } } }).error.details.reason).toBe(
    "TARGET_GROUP_ACTIVE",
  );
  await onTarget.stop();
  // It committed on the target while it ran; what it read there is not the test's concern.
  await expect
    .poll(
      async () => {
        const dry = (await (
          await request.post(`/api/v1/flows/${flowId}/failover`, { headers: admin, data: {} })
        ).json()) as {
          refusal: unknown;
        };
        return dry.refusal;
      },
      { timeout: 30_000 },
    )
    .toBeNull();
});

test("a worker killed in the middle of the drain: another finishes the run, nothing lost", async ({
  request,
}) => {
  test.setTimeout(240_000);
  const started = await request.post(`/api/v1/flows/${flowId}/failover`, {
    headers: admin,
    data: { dryRun: false, quietPeriodSeconds: 3 },
  });
  expect(started.status(), await started.text()).toBe(202);
  const runId = ((await started.json()) as FailoverRunView).id;
  await expectError(
    await request.post(`/api/v1/flows/${flowId}/failover`, { headers: admin, data: { dryRun: false } }),
    409,
    "FAILOVER_RUNNING",
  );

  const [producer, consumer] = processes;
  let paused = false;
  let killed: string | null = null;
  await expect
    .poll(
      async () => {
        const current = await run(request, runId);
        const waiting = current.steps.find((s) => s.state === "waiting");
        if (waiting?.id === "stop-producers") {
          // Hold the drain open: the flow paused while the producer still writes leaves lag that
          // cannot move until it resumes.
          if (!paused) {
            paused = true;
            expect((await request.post(`/api/v1/flows/${flowId}/pause`, { headers: admin })).status()).toBe(
              202,
            );
            await new Promise((r) => setTimeout(r, 3_000));
          }
          await producer!.stop();
        }
        if (waiting?.id === "stop-consumers") await consumer!.stop();
        if (waiting?.id === "drain" && killed === null) {
          const owner = await lastStepWorker(request, runId, "drain");
          const victim = owner === null ? undefined : workers.get(owner);
          if (victim !== undefined && owner !== null) {
            victim.kill("SIGKILL");
            killed = owner;
            workers.delete(owner);
            expect((await request.post(`/api/v1/flows/${flowId}/resume`, { headers: admin })).status()).toBe(
              202,
            );
          }
        }
        return current.state;
      },
      { timeout: 200_000, intervals: [500] },
    )
    .toBe("SUCCEEDED");
  expect(killed).not.toBeNull();
  const finished = await run(request, runId);
  const survivor = [...workers.keys()][0];
  // Every step after the kill ran on the surviving worker.
  expect(await lastStepWorker(request, runId, "activate-target")).toBe(survivor);
  expect(finished.report.rpoRecords).toBe(0);
  console.log(
    `failover after killing ${killed} mid-drain: ${JSON.stringify({
      rtoSeconds: finished.report.rtoSeconds,
      operatorWaitSeconds: finished.report.operatorWaitSeconds,
      handedOver: finished.report.handedOver,
    })}`,
  );

  const westConsumer = startConsumer(westBootstrap, [remote], group, `${dir}/consumed-west`);
  processes.push(westConsumer);
  const produced = producedIndices(`${dir}/produced`);
  await expect
    .poll(
      () =>
        account(produced, consumedIndices(`${dir}/consumed-east`), consumedIndices(`${dir}/consumed-west`))
          .lost,
      { timeout: 60_000 },
    )
    .toBe(0);
  await new Promise((r) => setTimeout(r, 2_000));
  await westConsumer.stop();
  const result = account(
    produced,
    consumedIndices(`${dir}/consumed-east`),
    consumedIndices(`${dir}/consumed-west`),
  );
  console.log(`failover after a worker kill, accounting: ${JSON.stringify(result)}`);
  expect(result.lost).toBe(0);
  expect(result.duplicates).toBeLessThanOrEqual(100 * PARTITIONS);
});
