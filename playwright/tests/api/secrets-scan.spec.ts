// A cluster's SASL password and TLS private key, and an alert webhook's URL path (Slack's is a
// credential), once stored, are found nowhere: not in any API
// response (every GET route of the table), page, export, flow event, audit entry, database row
// (only sealed), the web server's log or a worker's output, even after the worker failed to use them.
import { randomBytes, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { listRoutes } from "@mirrordeck/contracts";
import { expect, test } from "@playwright/test";
import pg from "pg";
import {
  e2eBaseUrl,
  e2eDatabaseUrl,
  e2eMetricsToken,
  e2eWebLog,
  eastBootstrap,
  westBootstrap,
} from "../../e2e-env.ts";
import { admin } from "../../support/api.ts";
import { signIn } from "../../support/auth.ts";
import { startWorker, stopWorker } from "../../support/worker.ts";

const marker = randomBytes(6).toString("hex");
const password = `Scan-Pa55-${marker}`;
const keyBody = `MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSj${marker}`;
const clientKey = `-----BEGIN PRIVATE KEY-----\n${keyBody}\n-----END PRIVATE KEY-----`;
const hookToken = `T0SCAN/B0SCAN/hook-token-${marker}`;
const secrets = [password, keyBody, hookToken];
let flowToDelete: string | undefined;
let webhookToDelete: string | undefined;

// The flow cannot run (its source refuses): later specs' workers must not keep trying it.
test.afterAll(async ({ playwright }) => {
  const api = await playwright.request.newContext({ baseURL: e2eBaseUrl });
  if (flowToDelete !== undefined) {
    expect((await api.delete(`/api/v1/flows/${flowToDelete}`, { headers: admin })).status()).toBe(204);
  }
  if (webhookToDelete !== undefined) {
    expect((await api.delete(`/api/v1/webhooks/${webhookToDelete}`, { headers: admin })).status()).toBe(204);
  }
  await api.dispose();
});

test("a stored password, private key and webhook URL appear in no response, page, export, event, row or log", async ({
  page,
  request,
}) => {
  test.setTimeout(180_000);
  const source = `scan-src-${marker}`;
  const target = `scan-dst-${marker}`;
  // The source speaks SASL to a plaintext broker: the worker tries the secret and fails with it.
  const created = await request.post("/api/v1/clusters", {
    headers: admin,
    data: {
      alias: source,
      bootstrapServers: eastBootstrap,
      securityProtocol: "SASL_SSL",
      sasl: { mechanism: "SCRAM-SHA-512", username: "scan", password },
      tls: { clientKey },
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  expect(
    (
      await request.post("/api/v1/clusters", {
        headers: admin,
        data: { alias: target, bootstrapServers: westBootstrap },
      })
    ).status(),
  ).toBe(201);
  const hook = await request.post("/api/v1/webhooks", {
    headers: admin,
    data: {
      name: `scan-${marker}`,
      url: `https://hooks.scan.invalid/services/${hookToken}`,
      format: "SLACK",
    },
  });
  expect(hook.status(), await hook.text()).toBe(201);
  webhookToDelete = ((await hook.json()) as { id: string }).id;
  const flow = await request.post("/api/v1/flows", {
    headers: admin,
    data: { sourceAlias: source, targetAlias: target, topicsInclude: "scan-.*", replicationFactor: 1 },
  });
  expect(flow.status(), await flow.text()).toBe(201);
  const flowId = ((await flow.json()) as { id: string }).id;
  flowToDelete = flowId;

  const workerOutput: string[] = [];
  const worker = startWorker("secrets-scan", (text) => workerOutput.push(text));
  const texts: string[] = [];
  try {
    expect((await request.post(`/api/v1/flows/${flowId}/start`, { headers: admin })).status()).toBe(202);
    await expect
      .poll(
        async () => {
          const events = await request.get(`/api/v1/flows/${flowId}/events`, { headers: admin });
          return (await events.text()).includes("ERROR");
        },
        { timeout: 60_000 },
      )
      .toBe(true);

    // Every GET route of the table, on this cluster and flow.
    for (const route of listRoutes().filter((r) => r.method === "GET" && !r.path.endsWith("/stream"))) {
      const path = route.path
        .replace("{alias}", source)
        .replace("{id}", flowId)
        .replace("{runId}", randomUUID())
        .replace("{ruleId}", randomUUID());
      const response = await request.get(path, { headers: admin, timeout: 20_000 });
      texts.push(`${path}\n${await response.text()}`);
    }
    // Prometheus, whose labels name flows, clusters and topics.
    const metrics = await request.get("/metrics", {
      headers: { authorization: `Bearer ${e2eMetricsToken}` },
    });
    expect(metrics.status()).toBe(200);
    texts.push(`/metrics\n${await metrics.text()}`);
    // Every page, as the browser renders it.
    await signIn(page);
    for (const path of ["/", "/clusters", "/flows", `/flows/${flowId}`, "/import", "/audit", "/admin"]) {
      await page.goto(path);
      await page.waitForTimeout(1_500);
      texts.push(`${path}\n${await page.content()}`);
    }
  } finally {
    await stopWorker(worker);
  }
  // Every row of every table: secrets only ever sealed.
  const db = new pg.Client({ connectionString: e2eDatabaseUrl });
  await db.connect();
  try {
    const tables = await db.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
    );
    for (const { table_name } of tables.rows) {
      const rows = await db.query(`SELECT t::text AS row FROM "${table_name}" t`);
      texts.push(`table ${table_name}\n${rows.rows.map((r: { row: string }) => r.row).join("\n")}`);
    }
  } finally {
    await db.end();
  }
  texts.push(`web log\n${readFileSync(e2eWebLog, "utf8")}`, `worker output\n${workerOutput.join("")}`);

  const everything = texts.join("\n");
  expect(everything).toContain(source); // the scan saw this cluster
  expect(everything).toContain("passwordSet");
  expect(everything).toContain("https://hooks.scan.invalid"); // the webhook's origin is shown
  for (const secret of secrets) {
    const where = texts.filter((t) => t.includes(secret)).map((t) => t.split("\n")[0]);
    expect(where, `${secret} found in`).toEqual([]);
  }
});
