import type { ChildProcess } from "node:child_process";
import { expect, test } from "@playwright/test";
import { CompressionTypes, Kafka, logLevel, Partitioners } from "kafkajs";
import { e2eAdmin, eastBootstrap, westBootstrap } from "../../e2e-env.ts";
import { admin } from "../../support/api.ts";
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

test.beforeAll(async () => {
  const kafka = new Kafka({ brokers: [eastBootstrap], logLevel: logLevel.NOTHING });
  const kafkaAdmin = kafka.admin();
  await kafkaAdmin.connect();
  await kafkaAdmin.createTopics({
    topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 1 }],
    waitForLeaders: true,
  });
  await kafkaAdmin.disconnect();
  worker = startWorker("live");
});

test.afterAll(async ({ request }) => {
  await stopWorker(worker);
  if (flowId) await request.delete(`/api/v1/flows/${flowId}`, { headers: admin });
  else {
    const flows = (await (await request.get("/api/v1/flows", { headers: admin })).json()) as {
      items: { id: string; sourceAlias: string }[];
    };
    for (const f of flows.items.filter((x) => x.sourceAlias === source))
      await request.delete(`/api/v1/flows/${f.id}`, { headers: admin });
  }
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

test("an operator's day: sign in, add two clusters, create a flow in the wizard and start it, watch lag rise and fall", async ({
  page,
}, testInfo) => {
  test.setTimeout(300_000);
  await page.goto("/");
  await expect(page).toHaveURL(/\/login/);
  await screenshotThemes(page, testInfo, "login");
  await expectAccessible(page);
  await page.getByLabel("E-mail").fill(e2eAdmin.email);
  await page.getByLabel("Password").fill(e2eAdmin.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();

  // Two clusters, each tested before it is saved.
  await page.getByRole("link", { name: "Clusters" }).click();
  for (const [alias, bootstrap] of [
    [source, eastBootstrap],
    [target, westBootstrap],
  ] as const) {
    await page.getByRole("button", { name: "Add cluster" }).click();
    const form = page.getByTestId("cluster-form");
    await form.getByLabel("Alias").fill(alias);
    await form.getByLabel("Bootstrap servers").fill(bootstrap);
    await form.getByRole("button", { name: "Test connection" }).click();
    const result = form.getByTestId("connection-test-result");
    await expect(result.getByTestId("connection-reachable")).toHaveText("reachable", { timeout: 20_000 });
    await expect(result.getByTestId("connection-broker-count")).toHaveText("1");
    await form.getByRole("button", { name: "Save cluster" }).click();
    await expect(page.getByTestId("clusters-notice")).toHaveText(`Cluster ${alias} added.`);
  }

  // The wizard: a pattern, the preview listing the demo topic and ours with their remote names.
  await page.goto("/flows/new");
  await page.getByLabel("Source cluster (copy from)").selectOption(source);
  await page.getByLabel("Target cluster (copy to)").selectOption(target);
  await page.getByLabel("Topics to replicate").fill(`orders, live-orders-.*`);
  await expect(page.getByTestId(`preview-topic-${topic}`).getByTestId("preview-remote")).toHaveText(
    `${source}.${topic}`,
    {
      timeout: 20_000,
    },
  );
  await expect(page.getByTestId("preview-topic-orders").getByTestId("preview-remote")).toHaveText(
    `${source}.orders`,
  );
  // Only this test's topic from here on (the demo topic gets traffic from other tests).
  await page.getByLabel("Topics to replicate").fill(topic);
  await expect(page.getByTestId("preview-topic-orders").getByTestId("preview-verdict")).toHaveAttribute(
    "data-verdict",
    "not-included",
    {
      timeout: 20_000,
    },
  );
  await page.getByLabel("Replication factor").fill("1");
  await expect(page.getByTestId("mm2-properties")).toContainText(`${source}->${target}.enabled=true`);
  await page.getByRole("button", { name: "Create and start" }).click();
  await expect(page).toHaveURL(/\/flows\/[0-9a-f-]{36}$/, { timeout: 20_000 });
  flowId = page.url().split("/").at(-1) as string;
  await expect(page.getByRole("heading", { name: `${source}->${target}` })).toBeVisible();
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
