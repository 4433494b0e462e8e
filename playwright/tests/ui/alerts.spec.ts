import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { Kafka, logLevel } from "kafkajs";
import { e2eBaseUrl, eastBootstrap, westBootstrap } from "../../e2e-env.ts";
import { admin } from "../../support/api.ts";
import { signIn } from "../../support/auth.ts";
import { startWorker, stopWorker } from "../../support/worker.ts";

// An alert rule added in the UI fires when its flow goes into ERROR (its target unreachable) and
// resolves when the target is fixed. Every notification reaches a generic and a Slack-compatible
// webhook (a local HTTP receiver); a webhook that fails twice is retried with growing gaps until
// it takes it; a webhook nobody listens on fails for ever, and replication is not held up by it.

interface Received {
  path: string;
  body: Record<string, unknown>;
  at: number;
}

const stamp = randomBytes(4).toString("hex");
const topic = `alerts-${stamp}`;
const received: Received[] = [];
const flakyAttempts: number[] = [];
let receiver: Server;
let receiverUrl = "";
let deadUrl = "";
const created: { flows: string[]; webhooks: string[] } = { flows: [], webhooks: [] };

test.beforeAll(async () => {
  receiver = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => {
      body += chunk.toString("utf8");
    });
    request.on("end", () => {
      const path = request.url ?? "/";
      if (path === "/flaky") {
        flakyAttempts.push(Date.now());
        // Refuses the first two attempts of each notification it gets.
        if (flakyAttempts.length % 3 !== 0) {
          response.writeHead(500).end("not now");
          return;
        }
      }
      received.push({ path, body: JSON.parse(body) as Record<string, unknown>, at: Date.now() });
      response.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  // A port that was open a moment ago and is closed now: connections are refused.
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
  deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/gone`;
  await new Promise((resolve) => closed.close(resolve));

  const kafka = new Kafka({ brokers: [eastBootstrap], logLevel: logLevel.NOTHING });
  const kafkaAdmin = kafka.admin();
  await kafkaAdmin.connect();
  await kafkaAdmin.createTopics({
    topics: [{ topic, numPartitions: 1, replicationFactor: 1 }],
    waitForLeaders: true,
  });
  await kafkaAdmin.disconnect();
});

test.afterAll(async ({ playwright }) => {
  const api = await playwright.request.newContext({ baseURL: e2eBaseUrl });
  for (const id of created.flows) await api.delete(`/api/v1/flows/${id}`, { headers: admin });
  for (const id of created.webhooks) await api.delete(`/api/v1/webhooks/${id}`, { headers: admin });
  await api.dispose();
  await new Promise((resolve) => receiver.close(resolve));
});

test("an alert rule fires and resolves in the UI, its notifications reach every webhook, a failing one never blocks", async ({
  page,
  request,
}) => {
  test.setTimeout(240_000);
  // One webhook added on the admin page, as an admin would; the others over the API.
  await signIn(page);
  await page.goto("/admin");
  const hooks = page.getByRole("region", { name: "Alert webhooks" });
  const addHook = hooks.getByRole("form", { name: "Add a webhook" });
  await addHook.getByLabel("Name").fill(`generic-${stamp}`);
  await addHook.getByLabel("URL").fill("ftp://example.com/x");
  await addHook.getByRole("button", { name: "Add webhook" }).click();
  await expect(addHook.getByText("must be an http:// or https:// URL")).toBeVisible();
  await addHook.getByLabel("URL").fill(`${receiverUrl}/generic`);
  await addHook.getByRole("button", { name: "Add webhook" }).click();
  const row = hooks.getByTestId(`webhook-generic-${stamp}`);
  await expect(row).toContainText(receiverUrl);
  await expect(row).not.toContainText("/generic"); // the path (a Slack URL's secret) is not shown
  const listed = (await (await request.get("/api/v1/webhooks", { headers: admin })).json()) as {
    items: { id: string; name: string }[];
  };
  created.webhooks.push(listed.items.find((w) => w.name === `generic-${stamp}`)!.id);
  for (const [name, url, format] of [
    [`slack-${stamp}`, `${receiverUrl}/slack`, "SLACK"],
    [`flaky-${stamp}`, `${receiverUrl}/flaky`, "GENERIC"],
    [`dead-${stamp}`, deadUrl, "GENERIC"],
  ] as const) {
    const hook = await request.post("/api/v1/webhooks", { headers: admin, data: { name, url, format } });
    expect(hook.status(), await hook.text()).toBe(201);
    const view = (await hook.json()) as { id: string; origin: string };
    created.webhooks.push(view.id);
    // The URL's path (a Slack webhook's secret) is never shown back.
    expect(JSON.stringify(view)).not.toContain("/generic");
  }

  const source = `al-src-${stamp}`;
  const target = `al-dst-${stamp}`;
  for (const [alias, bootstrapServers] of [
    [source, eastBootstrap],
    [target, "127.0.0.1:1"], // nothing listens there: the flow cannot start
  ]) {
    const cluster = await request.post("/api/v1/clusters", {
      headers: admin,
      data: { alias, bootstrapServers },
    });
    expect(cluster.status(), await cluster.text()).toBe(201);
  }
  const flow = await request.post("/api/v1/flows", {
    headers: admin,
    data: {
      name: `alerts-${stamp}`,
      sourceAlias: source,
      targetAlias: target,
      topicsInclude: topic,
      replicationFactor: 1,
    },
  });
  expect(flow.status(), await flow.text()).toBe(201);
  const flowId = ((await flow.json()) as { id: string }).id;
  created.flows.push(flowId);

  const worker = startWorker("alerts");
  try {
    expect((await request.post(`/api/v1/flows/${flowId}/start`, { headers: admin })).status()).toBe(202);

    // The rule, added as an operator would.
    await page.goto(`/flows/${flowId}`);
    const alerts = page.getByRole("region", { name: /^Alerts/ });
    await expect(alerts.getByText("No alert rules on this flow.")).toBeVisible();
    await alerts.getByLabel("Alert when").selectOption("FLOW_ERROR");
    await alerts.getByLabel("For (seconds)").fill("0");
    await alerts.getByRole("button", { name: "Add rule" }).click();
    const state = alerts.getByTestId("alert-state");
    await expect(state).toHaveText("firing", { timeout: 90_000 });
    await expect(alerts.getByTestId("flow-alerts-firing")).toHaveText("1 firing");
    await page.goto("/flows");
    await expect(
      page
        .getByRole("row")
        .filter({ hasText: `alerts-${stamp}` })
        .getByTestId("flow-alerts-badge"),
    ).toHaveText("1 alert firing");

    const firing = (path: string) =>
      received.find(
        (r) => r.path === path && (r.body.status === "firing" || String(r.body.text).includes("[FIRING]")),
      );
    await expect.poll(() => firing("/generic") !== undefined, { timeout: 30_000 }).toBe(true);
    expect(firing("/generic")!.body).toMatchObject({
      status: "firing",
      flowId,
      flowName: `alerts-${stamp}`,
      kind: "FLOW_ERROR",
      summary: `alerts-${stamp}: the flow is in ERROR (for 0 s or more)`,
    });
    await expect.poll(() => firing("/slack") !== undefined, { timeout: 30_000 }).toBe(true);
    expect(String(firing("/slack")!.body.text)).toBe(
      `:rotating_light: [FIRING] alerts-${stamp}: the flow is in ERROR (for 0 s or more)`,
    );
    // Refused twice, taken the third time, each retry after a longer wait.
    await expect.poll(() => firing("/flaky") !== undefined, { timeout: 60_000 }).toBe(true);
    const [first, second, third] = flakyAttempts;
    expect(flakyAttempts.length).toBeGreaterThanOrEqual(3);
    expect(third! - second!).toBeGreaterThan(second! - first!);

    // Fixed: the target is west now. The flow runs and copies while the dead webhook still fails.
    const targetView = (await (
      await request.get(`/api/v1/clusters/${target}`, { headers: admin })
    ).json()) as {
      version: number;
    };
    const fixed = await request.patch(`/api/v1/clusters/${target}`, {
      headers: admin,
      data: { version: targetView.version, bootstrapServers: westBootstrap },
    });
    expect(fixed.status(), await fixed.text()).toBe(200);
    const producer = new Kafka({ brokers: [eastBootstrap], logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    await producer.send({ topic, messages: Array.from({ length: 50 }, (_, i) => ({ value: `r${i}` })) });
    await producer.disconnect();
    const westAdmin = new Kafka({ brokers: [westBootstrap], logLevel: logLevel.NOTHING }).admin();
    await westAdmin.connect();
    await expect
      .poll(
        async () => {
          const topics = await westAdmin.listTopics();
          if (!topics.includes(`${source}.${topic}`)) return 0;
          const offsets = await westAdmin.fetchTopicOffsets(`${source}.${topic}`);
          return offsets.reduce((sum, o) => sum + Number(o.high), 0);
        },
        { timeout: 90_000 },
      )
      .toBe(50);
    await westAdmin.disconnect();

    await page.goto(`/flows/${flowId}`);
    await expect(page.getByRole("region", { name: /^Alerts/ }).getByTestId("alert-state")).toHaveText("ok", {
      timeout: 60_000,
    });
    await expect
      .poll(() => received.some((r) => r.path === "/generic" && r.body.status === "resolved"), {
        timeout: 30_000,
      })
      .toBe(true);
    expect(received.find((r) => r.path === "/generic" && r.body.status === "resolved")!.body.summary).toBe(
      `alerts-${stamp}: the flow is out of ERROR`,
    );
    await page.goto("/flows");
    await expect(
      page
        .getByRole("row")
        .filter({ hasText: `alerts-${stamp}` })
        .getByTestId("flow-alerts-badge"),
    ).toHaveCount(0);

    const events = (await (
      await request.get(`/api/v1/flows/${flowId}/events`, { headers: admin })
    ).json()) as {
      items: { kind: string }[];
    };
    const kinds = events.items.map((e) => e.kind);
    expect(kinds).toContain("alert.firing");
    expect(kinds).toContain("alert.resolved");

    // Edited in place into a drift rule: the workers evaluate the new kind (none of the flow's
    // remote topics drift, so it reads 0 and stays ok).
    await page.goto(`/flows/${flowId}`);
    const section = page.getByRole("region", { name: /^Alerts/ });
    await section.getByRole("button", { name: "Edit rule: Flow in error" }).click();
    const edit = section.getByRole("form", { name: "Edit rule" });
    await edit.getByLabel("Alert when").selectOption("TOPIC_DRIFT");
    await edit.getByLabel("Threshold (topics)").fill("-1");
    await edit.getByRole("button", { name: "Save rule" }).click();
    await expect(edit.getByText("must be 0 or more")).toBeVisible();
    await edit.getByLabel("Threshold (topics)").fill("0");
    await edit.getByRole("button", { name: "Save rule" }).click();
    await expect(edit).toHaveCount(0);
    const rule = section.getByTestId("alert-rule");
    await expect(rule).toHaveCount(1);
    await expect(rule.getByRole("cell").first()).toHaveText("More than 0 target topics drifting");
    await expect(rule.getByRole("cell").nth(3)).toHaveText("0", { timeout: 30_000 });
    await expect(rule.getByTestId("alert-state")).toHaveText("ok");
  } finally {
    await stopWorker(worker);
  }
});
