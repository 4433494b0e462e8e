// A planned failover from the browser: the readiness panel says GO, the wizard's dry-run shows the
// plan, the test acts as the operator (stops the producer, then the consumer, when the stepper
// asks), and the consumer group resumes on the target from the handed-over offsets: nothing lost.
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { expect, type Page, test } from "@playwright/test";
import { Kafka, logLevel } from "kafkajs";
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
import { admin } from "../../support/api.ts";
import { signIn } from "../../support/auth.ts";
import { createFailoverFlow } from "../../support/failover-flow.ts";
import { expectAccessible, screenshotThemes } from "../../support/ui.ts";
import { startWorker, stopWorker } from "../../support/worker.ts";

test.describe.configure({ mode: "serial" });

// Unique per run and file (the API failover spec uses the same clusters): the cleanup goes by it.
const stamp = `${Date.now().toString(36)}${randomBytes(2).toString("hex")}`;
const source = `uifo-src-${stamp}`;
const target = `uifo-tgt-${stamp}`;
const topic = `orders-${stamp}`;
const remoteTopic = `${source}.${topic}`;
const group = `uifo-app-${stamp}`;
const PARTITIONS = 3;
const RATE_PER_SEC = 100;
/** MM2's offset.lag.max: a translated offset is at most this far behind, per partition. */
const OFFSET_LAG_MAX = 100;

const dir = trafficDir();
const files = {
  produced: `${dir}/produced`,
  east: `${dir}/consumed-east`,
  west: `${dir}/consumed-west`,
};
const traffic: TrafficProcess[] = [];
let producer: TrafficProcess | undefined;
let eastConsumer: TrafficProcess | undefined;
let worker: ChildProcess | undefined;
let flowId = "";
let rtoSeconds = Number.NaN;

test.beforeAll(async ({ request }) => {
  flowId = await createFailoverFlow(request, { source, target, topic, partitions: PARTITIONS });
  const started = await request.post(`/api/v1/flows/${flowId}/start`, { headers: admin });
  expect(started.status(), await started.text()).toBe(202);
  worker = startWorker("failover");
});

test.afterAll(async ({ request }) => {
  await Promise.all(traffic.map((p) => p.stop()));
  await stopWorker(worker);
  // The flow and the reverse flow the failover created; then the clusters they used.
  const flows = (await (await request.get("/api/v1/flows", { headers: admin })).json()) as {
    items: { id: string; sourceAlias: string }[];
  };
  for (const f of flows.items.filter((x) => x.sourceAlias === source || x.sourceAlias === target)) {
    await request.delete(`/api/v1/flows/${f.id}`, { headers: admin });
  }
  for (const alias of [source, target]) await request.delete(`/api/v1/clusters/${alias}`, { headers: admin });
  // Every topic this run created on either broker carries its stamp.
  for (const bootstrap of [eastBootstrap, westBootstrap]) {
    const kafka = new Kafka({ brokers: [bootstrap], logLevel: logLevel.NOTHING }).admin();
    try {
      await kafka.connect();
      const mine = (await kafka.listTopics()).filter((t) => t.includes(stamp));
      if (mine.length > 0) await kafka.deleteTopics({ topics: mine });
    } catch (error) {
      // A broker restarting at this moment keeps a few uniquely named topics: not a test failure.
      console.warn(`topics of ${stamp} left on ${bootstrap}: ${(error as Error).message}`);
    } finally {
      await kafka.disconnect();
    }
  }
});

/** Polls until `condition` holds; `what` names it in the failure. */
async function waitFor(condition: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  await expect.poll(condition, { message: what, timeout: timeoutMs, intervals: [250] }).toBe(true);
}

/** The text a step waits on, or "" when it does not wait. */
async function waitingText(page: Page, step: string): Promise<string> {
  const waiting = page.getByTestId(`step-${step}-waiting`);
  return (await waiting.count()) === 0 ? "" : ((await waiting.textContent()) ?? "");
}

test("the readiness panel on the flow page says GO once the group has a checkpoint", async ({
  page,
}, testInfo) => {
  test.setTimeout(180_000);
  producer = startProducer(eastBootstrap, topic, RATE_PER_SEC, files.produced);
  eastConsumer = startConsumer(eastBootstrap, [topic], group, files.east);
  traffic.push(producer, eastConsumer);
  await waitFor(() => consumedIndices(files.east).length > 300, "the group consuming on east");

  await signIn(page);
  await page.goto(`/flows/${flowId}`);
  const panel = page.getByTestId("readiness-panel");
  // The first look at both clusters waits out a broker that is briefly away.
  await expect(panel.getByTestId("readiness-active-side")).toHaveAttribute("data-side", "source", {
    timeout: 60_000,
  });
  await expect(panel.getByTestId("readiness-active-side")).toContainText(source);
  // Checkpointed with every partition translated: a failover could place the group now.
  const row = panel.getByTestId(`readiness-group-${group}`);
  await expect(row).toHaveAttribute("data-translated", `${PARTITIONS}/${PARTITIONS}`, { timeout: 90_000 });
  await expect(row).toHaveAttribute("data-checkpoint", "yes");
  // Generous: the source broker may be restarting (shared stack), the panel then says "unknown".
  await expect(row).toContainText("active (1 member)", { timeout: 60_000 });
  await expect(panel.getByTestId("readiness-go")).toHaveAttribute("data-go", "true", { timeout: 60_000 });
  await expect(panel.getByTestId("readiness-go")).toHaveText("✓ GO");
  for (let p = 0; p < PARTITIONS; p++) {
    await expect(panel.getByTestId(`readiness-partition-${topic}-${p}`)).toBeVisible();
  }
  await expect(panel.getByTestId(`readiness-topic-${topic}`)).toContainText(remoteTopic);
  // The group is consuming on the source: a warning, not a block.
  await expect(panel.getByTestId("readiness-reasons").locator('[data-level="block"]')).toHaveCount(0);
  await panel.scrollIntoViewIfNeeded();
  await screenshotThemes(page, testInfo, "failover-readiness");
});

test("the operator dry-runs, starts, and follows the stepper to the report", async ({ page }, testInfo) => {
  test.setTimeout(300_000);
  await signIn(page);
  await page.goto(`/flows/${flowId}`);
  await page.getByRole("link", { name: "Fail over…" }).click();
  await expect(page).toHaveURL(`/flows/${flowId}/failover`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Fail over ${source}->${target}`);

  // Planned (the default), a short quiet period, the reverse flow: then the dry-run.
  await expect(page.getByRole("radio", { name: /^Planned/ })).toBeChecked();
  await expect(page.getByLabel(/Create the reverse flow/)).toBeChecked();
  await page.getByLabel("Quiet period").fill("3");
  await page.getByRole("button", { name: "Dry-run" }).click();
  const plan = page.getByTestId("failover-plan");
  await expect(plan).toBeVisible({ timeout: 30_000 });
  await expect(plan.getByTestId("plan-refusal")).toHaveCount(0);
  await expect(plan.getByTestId("plan-steps").getByRole("listitem")).toHaveCount(8);
  await expect(plan.getByTestId("plan-step-stop-producers")).toContainText("3 s");
  for (let p = 0; p < PARTITIONS; p++) {
    await expect(plan.getByTestId(`plan-group-${group}-${p}`).getByTestId("target-offset")).toBeVisible();
  }
  await expect(plan.getByTestId("plan-expected-loss")).toContainText("0 records");
  await expect(plan.getByTestId("client-bootstrap")).toContainText(`${eastBootstrap} → ${westBootstrap}`);
  await expect(plan.getByTestId(`client-topic-${topic}`).getByTestId("client-topic-to")).toHaveText(
    remoteTopic,
  );
  await expect(plan.getByTestId(`client-snippet-${group}`)).toContainText(
    `bootstrap.servers=${westBootstrap}`,
  );
  await expect(plan.getByTestId(`client-snippet-${group}`)).toContainText(`group.id=${group}`);
  await screenshotThemes(page, testInfo, "failover-plan");
  await expectAccessible(page);

  await page.getByRole("button", { name: "Start failover" }).click();
  await page.getByRole("button", { name: "Yes, start the failover" }).click();
  const stepper = page.getByTestId("failover-stepper");
  await expect(stepper).toBeVisible({ timeout: 20_000 });
  await expect(page.getByRole("button", { name: "Cancel failover" })).toBeVisible();

  // The operator reads the page and does what it asks, once each.
  const state = page.getByTestId("run-state");
  const deadline = Date.now() + 240_000;
  while ((await state.getAttribute("data-state")) === "RUNNING") {
    if (Date.now() > deadline) throw new Error("the failover did not finish in 240 s");
    if (producer && (await waitingText(page, "stop-producers")).includes("Stop the producers")) {
      await producer.stop();
      producer = undefined;
      // The stepper mid-run (a waiting step, its text, the cancel button), for the record.
      await page.screenshot({ path: testInfo.outputPath("failover-waiting.png"), fullPage: true });
    }
    if (eastConsumer && (await waitingText(page, "stop-consumers")).includes("Stop the consumers")) {
      await eastConsumer.stop();
      eastConsumer = undefined;
    }
    await page.waitForTimeout(250);
  }
  expect(producer, "the stepper asked to stop the producers").toBeUndefined();
  expect(eastConsumer, "the stepper asked to stop the consumers").toBeUndefined();
  await expect(state).toHaveAttribute("data-state", "SUCCEEDED");
  for (const step of await stepper.getByRole("listitem").all()) {
    await expect(step).toHaveAttribute("data-state", /^(done|skipped)$/);
  }
  await expect(page.getByRole("button", { name: "Cancel failover" })).toHaveCount(0);

  const report = page.getByTestId("failover-report");
  await expect(report).toBeVisible();
  rtoSeconds = Number(await report.getByTestId("report-rto").getAttribute("data-seconds"));
  const operatorWait = await report.getByTestId("report-operator-wait").textContent();
  expect(rtoSeconds).toBeGreaterThan(0);
  await expect(report.getByTestId("report-rpo")).toHaveAttribute("data-records", "0");
  await expect(report.getByTestId("report-active-side")).toHaveText(target);
  await expect(report.getByTestId("report-reverse-flow")).toHaveText(`${target}-to-${source}`);
  for (let p = 0; p < PARTITIONS; p++) {
    await expect(report.getByTestId(`handed-over-${group}-${p}`).getByTestId("target-offset")).toBeVisible();
  }
  testInfo.annotations.push({ type: "rto", description: `${rtoSeconds.toFixed(1)} s` });
  console.log(`planned failover from the UI: RTO ${rtoSeconds.toFixed(1)} s, operator wait ${operatorWait}`);
  await screenshotThemes(page, testInfo, "failover-stepper");
  await expectAccessible(page);
});

test("the group resumes on the target with nothing lost; the flow page shows the new active side", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const produced = producedIndices(files.produced);
  const westConsumer = startConsumer(westBootstrap, [remoteTopic], group, files.west);
  traffic.push(westConsumer);
  await waitFor(
    () => account(produced, consumedIndices(files.east), consumedIndices(files.west)).lost === 0,
    "every acknowledged record consumed on east or west",
  );
  await new Promise((r) => setTimeout(r, 2_000)); // anything read twice shows up by now
  await westConsumer.stop();
  const result = account(produced, consumedIndices(files.east), consumedIndices(files.west));
  console.log(
    `planned failover from the UI, accounting: ${JSON.stringify({ ...result, rtoSeconds: Number(rtoSeconds.toFixed(1)) })}`,
  );
  expect(result.produced).toBeGreaterThan(300);
  expect(result.lost).toBe(0);
  expect(result.duplicates).toBeLessThanOrEqual(OFFSET_LAG_MAX * PARTITIONS);

  await signIn(page);
  await page.goto(`/flows/${flowId}`);
  const panel = page.getByTestId("readiness-panel");
  await expect(panel.getByTestId("readiness-active-side")).toHaveAttribute("data-side", "target");
  await expect(panel.getByTestId("readiness-active-side")).toContainText(target);
  await expect(panel.getByTestId("readiness-go")).toHaveAttribute("data-go", "false");
  await expect(panel.getByTestId("readiness-reasons")).toContainText("ALREADY_FAILED_OVER");
  const history = page.getByTestId("failover-history");
  await expect(history.getByRole("listitem").first()).toHaveAttribute("data-state", "SUCCEEDED");
  const reverse = history.getByTestId("history-reverse-flow").first();
  await expect(reverse).toHaveText(`${target}-to-${source}`);
  await reverse.click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`${target}-to-${source}`);
  await expect(page.getByText(`${target} → ${source}`)).toBeVisible();
});
