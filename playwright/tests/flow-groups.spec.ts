// A real worker replicates a flow; a consumer group commits on east; the flow page shows the
// group's committed offset, its translation on west and the replicated heartbeat's age.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { Kafka, logLevel } from "kafkajs";
import pg from "pg";
import { e2eDatabaseUrl, eastBootstrap } from "../e2e-env.ts";
import { signIn } from "../support/auth.ts";

const repoRoot = path.resolve(import.meta.dirname, "../..");
const suffix = randomBytes(3).toString("hex");
const topic = `e2e-groups-${suffix}`;
const group = `e2e-billing-${suffix}`;
let worker: ChildProcess | undefined;
let flowId: string;

test.beforeAll(async () => {
  const kafka = new Kafka({ brokers: [eastBootstrap], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [{ topic, numPartitions: 2, replicationFactor: 1 }],
    waitForLeaders: true,
  });
  const producer = kafka.producer();
  await producer.connect();
  for (const partition of [0, 1]) {
    await producer.send({
      topic,
      acks: -1,
      messages: Array.from({ length: 300 }, (_, i) => ({ partition, value: `r${i}` })),
    });
  }
  await producer.disconnect();
  await admin.setOffsets({
    groupId: group,
    topic,
    partitions: [
      { partition: 0, offset: "250" },
      { partition: 1, offset: "120" },
    ],
  });
  await admin.disconnect();

  // The seeded demo flow, pointed at this test's topic, with quick checkpoint rounds.
  const db = new pg.Client({ connectionString: e2eDatabaseUrl });
  await db.connect();
  const { rows } = await db.query<{ id: string }>(
    `UPDATE flow SET topics_include = $1, settings = $2 WHERE name = 'east-to-west' RETURNING id`,
    [topic, JSON.stringify({ emitCheckpointsIntervalSeconds: 1, refreshGroupsIntervalSeconds: 1 })],
  );
  await db.end();
  flowId = rows[0]!.id;

  worker = spawn(process.execPath, [path.join(repoRoot, "apps/worker/dist/main.js")], {
    cwd: repoRoot,
    env: {
      ...process.env,
      DATABASE_URL: e2eDatabaseUrl,
      MIRRORDECK_WORKER_ID: `e2e-worker-${suffix}`,
      MIRRORDECK_QUEUE_PREFIX: `e2e-${suffix}`,
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
});

test.afterAll(async () => {
  if (worker && worker.exitCode === null) {
    worker.kill("SIGTERM");
    await new Promise((resolve) => worker!.once("exit", resolve));
  }
});

test("the flow page shows a consumer group's translated offsets and the replicated heartbeat", async ({
  page,
}, testInfo) => {
  test.setTimeout(90_000);
  await signIn(page);
  await page.goto("/");
  await page.getByTestId("flow-east-to-west").getByRole("link", { name: "east-to-west" }).click();
  await expect(page).toHaveURL(new RegExp(`/flows/${flowId}$`));

  const row = page.getByTestId(`group-${group}-0`);
  await expect(row).toBeVisible({ timeout: 60_000 });
  await expect(row).toContainText(`${topic}-0`);
  await expect(row).toContainText(`east.${topic}`);
  await expect(row).toContainText("250");
  // Translated, never past the committed offset: a number between 150 and 250 on this fresh topic.
  // The committed offset shows first; the translation follows at the next checkpoint ("—" until).
  const translatedCell = row.locator("td").nth(3);
  await expect
    .poll(async () => Number((await translatedCell.innerText()).replaceAll(",", "")), { timeout: 30_000 })
    .toBeGreaterThan(150);
  const translated = Number((await translatedCell.innerText()).replaceAll(",", ""));
  expect(translated).toBeLessThanOrEqual(250);
  await expect(page.getByTestId("flow-heartbeat-detail")).toContainText(/ago/, { timeout: 30_000 });

  await page.screenshot({ path: testInfo.outputPath("flow-groups.png"), fullPage: true });

  // With the worker up, the control plane is ready, and says what it checked.
  const ready = await page.request.get("/api/v1/ready");
  expect(ready.status()).toBe(200);
  const body = (await ready.json()) as { status: string; checks: Record<string, { ok: boolean }> };
  expect(body.status).toBe("ready");
  expect(Object.values(body.checks).every((c) => c.ok)).toBe(true);
});
