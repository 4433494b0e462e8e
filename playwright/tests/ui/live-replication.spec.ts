import type { ChildProcess } from "node:child_process";
import { expect, test } from "@playwright/test";
import { CompressionTypes, Kafka, logLevel, Partitioners } from "kafkajs";
import { eastBootstrap, westBootstrap } from "../../e2e-env.ts";
import { admin } from "../../support/api.ts";
import { signIn } from "../../support/auth.ts";
import { expectAccessible, screenshotThemes } from "../../support/ui.ts";
import { startWorker, stopWorker } from "../../support/worker.ts";

test.describe.configure({ mode: "serial" });

const stamp = Date.now().toString(36);
const source = `live-src-${stamp}`;
const target = `live-tgt-${stamp}`;
const topic = `live-orders-${stamp}`;
const PARTITIONS = 4;
const BURST = 200_000;
let worker: ChildProcess | undefined;
let flowId = "";

test.beforeAll(async ({ request }) => {
  const kafka = new Kafka({ brokers: [eastBootstrap], logLevel: logLevel.NOTHING });
  const kafkaAdmin = kafka.admin();
  await kafkaAdmin.connect();
  await kafkaAdmin.createTopics({
    topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 1 }],
    waitForLeaders: true,
  });
  await kafkaAdmin.disconnect();
  for (const [alias, bootstrapServers] of [
    [source, eastBootstrap],
    [target, westBootstrap],
  ]) {
    expect(
      (
        await request.post("/api/v1/clusters", { headers: admin, data: { alias, bootstrapServers } })
      ).status(),
    ).toBe(201);
  }
  const flow = await request.post("/api/v1/flows", {
    headers: admin,
    data: { sourceAlias: source, targetAlias: target, topicsInclude: topic, replicationFactor: 1 },
  });
  expect(flow.status()).toBe(201);
  flowId = ((await flow.json()) as { id: string }).id;
  worker = startWorker("live");
});

test.afterAll(async ({ request }) => {
  await stopWorker(worker);
  if (flowId) await request.delete(`/api/v1/flows/${flowId}`, { headers: admin });
  for (const alias of [source, target]) await request.delete(`/api/v1/clusters/${alias}`, { headers: admin });
});

/** Writes `count` keyed records to the topic as fast as kafkajs can. */
async function burst(count: number): Promise<void> {
  const producer = new Kafka({ brokers: [eastBootstrap], logLevel: logLevel.NOTHING }).producer({
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  const value = "x".repeat(100);
  const batch = 2_000;
  try {
    for (let sent = 0; sent < count; sent += batch * 4) {
      await Promise.all(
        Array.from({ length: 4 }, (_, b) =>
          producer.send({
            topic,
            acks: 1,
            compression: CompressionTypes.None,
            messages: Array.from({ length: batch }, (_, i) => ({ key: `k${sent + b * batch + i}`, value })),
          }),
        ),
      );
    }
  } finally {
    await producer.disconnect();
  }
}

const plotted = async (page: import("@playwright/test").Page, chart: string) => {
  const figure = page.getByTestId(chart);
  return {
    last: Number(await figure.getAttribute("data-last")),
    max: Number(await figure.getAttribute("data-max")),
    points: Number(await figure.getAttribute("data-points")),
  };
};

test("a flow started from its page shows lag rising and falling back to zero, throughput, and every partition caught up", async ({
  page,
}, testInfo) => {
  test.setTimeout(240_000);
  await signIn(page);
  await page.goto(`/flows/${flowId}`);
  await expect(page.getByRole("heading", { name: `${source}->${target}` })).toBeVisible();
  await page.getByRole("button", { name: "Start" }).click();
  await expect(page.getByTestId("flow-state")).toHaveText(/running|catching up|starting/, {
    timeout: 60_000,
  });
  // The worker reports the flow's partitions (caught up: nothing written yet).
  await expect(page.getByTestId("partitions-caught-up")).toHaveText(/^([1-9]\d*) of \1 caught up$/, {
    timeout: 60_000,
  });

  // A burst faster than one copy loop drains: lag must show on the chart, then go back to zero.
  const producedAt = Date.now();
  const producing = burst(BURST);
  let lagShownAt = 0;
  let throughputShownAt = 0;
  await expect
    .poll(
      async () => {
        const lag = await plotted(page, "chart-lag");
        // Heartbeats alone are ~1 record/s: more than 100/s is the burst arriving.
        if (throughputShownAt === 0 && (await plotted(page, "chart-throughput")).max > 100)
          throughputShownAt = Date.now();
        // The series' maximum turns positive the moment a point with lag is plotted.
        if (lag.max > 0 && lagShownAt === 0) lagShownAt = Date.now();
        return lag.max;
      },
      { timeout: 60_000, intervals: [200] },
    )
    .toBeGreaterThan(0);
  await producing;
  const toLag = (lagShownAt - producedAt) / 1000;
  const toThroughput = throughputShownAt === 0 ? Number.NaN : (throughputShownAt - producedAt) / 1000;
  testInfo.annotations.push(
    { type: "produce-to-lag-on-chart", description: `${toLag.toFixed(1)} s` },
    { type: "produce-to-throughput-on-chart", description: `${toThroughput.toFixed(1)} s` },
  );
  console.log(
    `first record produced → copied records on the throughput chart: ${toThroughput.toFixed(1)} s; → lag on the lag chart: ${toLag.toFixed(1)} s`,
  );

  await expect
    .poll(async () => (await plotted(page, "chart-throughput")).max, { timeout: 30_000 })
    .toBeGreaterThan(1_000);
  await expect
    .poll(async () => (await plotted(page, "chart-lag")).last, { timeout: 120_000, intervals: [1_000] })
    .toBe(0);
  await expect(page.getByTestId("kpi-lag")).toHaveText("caught up", { timeout: 30_000 });
  await expect(page.getByTestId("partitions-caught-up")).toHaveText(/^([1-9]\d*) of \1 caught up$/);
  for (let p = 0; p < PARTITIONS; p++) {
    await expect(page.getByTestId(`partition-${topic}-${p}`)).toContainText("caught up");
  }
  await screenshotThemes(page, testInfo, "flow-detail");
  await expectAccessible(page);
});
