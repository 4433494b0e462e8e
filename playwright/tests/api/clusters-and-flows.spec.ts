import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { Kafka, logLevel } from "kafkajs";
import { e2eWebLog, eastBootstrap, westBootstrap } from "../../e2e-env.ts";
import { admin, bearer, expectError } from "../../support/api.ts";
import { tokenFor } from "../../support/auth.ts";

// Secrets this file sends; none may ever come back in a response or reach the server's log.
const saslPassword = "Sasl-Pa55word-never-shown";
const clientKey =
  "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDsecretkeymaterial\n-----END PRIVATE KEY-----";
const seen: string[] = [];
const stamp = Date.now().toString(36);
const sourceAlias = `api-src-${stamp}`;
const targetAlias = `api-tgt-${stamp}`;
const secureAlias = `api-sasl-${stamp}`;
const topic = `api-preview-${stamp}`;
const skipped = `api-skip-${stamp}`;
const internal = `mm2-offset-syncs.api-${stamp}.internal`;

test.describe.configure({ mode: "serial" });

async function json<T>(response: { text(): Promise<string>; status(): number }): Promise<T> {
  const text = await response.text();
  seen.push(text);
  return JSON.parse(text) as T;
}

test.beforeAll(async () => {
  const kafka = new Kafka({ brokers: [eastBootstrap], logLevel: logLevel.NOTHING });
  const kafkaAdmin = kafka.admin();
  await kafkaAdmin.connect();
  await kafkaAdmin.createTopics({
    topics: [topic, skipped, internal].map((t) => ({ topic: t, numPartitions: 2, replicationFactor: 1 })),
    waitForLeaders: true,
  });
  await kafkaAdmin.disconnect();
});

test("clusters: create with sealed secrets, read, test, list topics and groups, edit with versions", async ({
  request,
}) => {
  for (const [alias, bootstrapServers] of [
    [sourceAlias, eastBootstrap],
    [targetAlias, westBootstrap],
  ]) {
    const created = await request.post("/api/v1/clusters", {
      headers: admin,
      data: { alias, bootstrapServers },
    });
    expect(created.status(), await created.text()).toBe(201);
  }
  const secure = await request.post("/api/v1/clusters", {
    headers: admin,
    data: {
      alias: secureAlias,
      bootstrapServers: "127.0.0.1:1",
      securityProtocol: "SASL_SSL",
      sasl: { mechanism: "SCRAM-SHA-512", username: "mirror", password: saslPassword },
      tls: { clientKey },
    },
  });
  expect(secure.status()).toBe(201);
  const detail = await json<{
    sasl: { passwordSet: boolean; username: string };
    tls: { clientKeySet: boolean };
    version: number;
  }>(secure);
  expect(detail.sasl).toEqual({ mechanism: "SCRAM-SHA-512", username: "mirror", passwordSet: true });
  expect(detail.tls.clientKeySet).toBe(true);

  const duplicate = await request.post("/api/v1/clusters", {
    headers: admin,
    data: { alias: sourceAlias, bootstrapServers: eastBootstrap },
  });
  await expectError(duplicate, 409, "CONFLICT");

  await json(await request.get(`/api/v1/clusters/${secureAlias}`, { headers: admin }));
  await json(await request.get("/api/v1/clusters", { headers: admin }));

  // Optimistic concurrency: a stale version is refused and changes nothing.
  const stale = await request.patch(`/api/v1/clusters/${secureAlias}`, {
    headers: admin,
    data: { version: detail.version + 5, clientOverrides: { "client.id": "stale" } },
  });
  await expectError(stale, 409, "STALE_VERSION");
  const edited = await request.patch(`/api/v1/clusters/${secureAlias}`, {
    headers: admin,
    data: { version: detail.version, sasl: { mechanism: "SCRAM-SHA-256", username: "mirror2" } },
  });
  const after = await json<{ version: number; sasl: { mechanism: string; passwordSet: boolean } }>(edited);
  expect(edited.status()).toBe(200);
  // The password was not sent again, so the stored one is kept.
  expect(after.sasl).toEqual({ mechanism: "SCRAM-SHA-256", username: "mirror2", passwordSet: true });
  expect(after.version).toBe(detail.version + 1);

  // Stored secrets only go to the brokers they were entered for.
  const moved = await request.patch(`/api/v1/clusters/${secureAlias}`, {
    headers: admin,
    data: { version: after.version, bootstrapServers: "attacker.example:9092" },
  });
  await expectError(moved, 400, "VALIDATION_FAILED");

  const test1 = await request.post(`/api/v1/clusters/${sourceAlias}/test`, { headers: admin });
  const result = await json<{
    reachable: boolean;
    authenticated: boolean;
    brokerCount: number;
    controllerId: number;
    topicCount: number;
    kafkaVersion: string;
    clusterId: string;
  }>(test1);
  expect(result).toMatchObject({
    reachable: true,
    authenticated: true,
    brokerCount: 1,
    kafkaVersion: "4.1 or newer",
  });
  expect(result.topicCount).toBeGreaterThan(1);
  expect(result.clusterId.length).toBeGreaterThan(5);

  // Unreachable: a clear error within the admin timeout, not a hang.
  const started = Date.now();
  const down = await json<{ reachable: boolean; error: { code: string; message: string } }>(
    await request.post(`/api/v1/clusters/${secureAlias}/test`, { headers: admin, timeout: 30_000 }),
  );
  expect(Date.now() - started).toBeLessThan(15_000);
  expect(down.reachable).toBe(false);
  expect(down.error.code).toBe("CLUSTER_UNREACHABLE");
  expect(down.error.message).toContain(secureAlias);

  const draft = await json<{ reachable: boolean; brokerCount: number }>(
    await request.post("/api/v1/connection-tests", {
      headers: admin,
      data: { alias: "draft", bootstrapServers: westBootstrap },
    }),
  );
  expect(draft).toMatchObject({ reachable: true, brokerCount: 1 });

  const topics = await json<{ items: { name: string; partitions: number }[] }>(
    await request.get(`/api/v1/clusters/${sourceAlias}/topics`, { headers: admin }),
  );
  expect(topics.items).toContainEqual({ name: topic, partitions: 2, internal: false });
  const groups = await request.get(`/api/v1/clusters/${sourceAlias}/groups`, { headers: admin });
  expect(groups.status()).toBe(200);
});

let flowId = "";

test("flows: create, preview, edit with revisions and 409, lifecycle, metrics, stream, events, delete", async ({
  request,
  baseURL,
}) => {
  const viewer = bearer(await tokenFor(request, "VIEWER"));
  const operator = bearer(await tokenFor(request, "OPERATOR"));
  const created = await request.post("/api/v1/flows", {
    headers: admin,
    data: {
      sourceAlias,
      targetAlias,
      topicsInclude: `api-.*-${stamp}`,
      topicsExclude: `${skipped}`,
      replicationFactor: 1,
      settings: { offsetLagMax: 50 },
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const flow = await json<{
    id: string;
    name: string;
    version: number;
    enabled: boolean;
    settings: Record<string, unknown>;
  }>(created);
  flowId = flow.id;
  expect(flow).toMatchObject({
    name: `${sourceAlias}->${targetAlias}`,
    version: 1,
    enabled: false,
    settings: { offsetLagMax: 50 },
  });

  // One flow per direction, as in MM2.
  await expectError(
    await request.post("/api/v1/flows", { headers: admin, data: { sourceAlias, targetAlias } }),
    409,
    "CONFLICT",
  );

  const preview = await json<{
    topics: { name: string; verdict: string; remoteName: string | null }[];
    summary: { topicsSelected: number };
  }>(await request.get(`/api/v1/flows/${flowId}/preview`, { headers: viewer }));
  expect(preview.topics).toContainEqual(
    expect.objectContaining({ name: topic, verdict: "replicated", remoteName: `${sourceAlias}.${topic}` }),
  );
  expect(preview.topics).toContainEqual(
    expect.objectContaining({ name: skipped, verdict: "excluded", remoteName: null }),
  );
  expect(preview.topics).toContainEqual(expect.objectContaining({ name: internal, verdict: "internal" }));

  const draft = await json<{ topics: { name: string; remoteName: string | null }[] }>(
    await request.post("/api/v1/flows/preview", {
      headers: viewer,
      data: { sourceAlias, targetAlias, topicsInclude: topic, replicationPolicy: "IDENTITY" },
    }),
  );
  expect(draft.topics).toContainEqual(expect.objectContaining({ name: topic, remoteName: topic }));

  const edit = await request.patch(`/api/v1/flows/${flowId}`, {
    headers: admin,
    data: { version: 1, tasksMax: 2, topicsExclude: "" },
  });
  expect(edit.status(), await edit.text()).toBe(200);
  expect(((await edit.json()) as { version: number }).version).toBe(2);
  const stale = await request.patch(`/api/v1/flows/${flowId}`, {
    headers: admin,
    data: { version: 1, tasksMax: 3 },
  });
  await expectError(stale, 409, "STALE_VERSION");
  const revisions = await json<{
    items: { version: number; actor: string; diff: Record<string, { from: unknown; to: unknown }> }[];
  }>(await request.get(`/api/v1/flows/${flowId}/revisions`, { headers: viewer }));
  expect(revisions.items.map((r) => r.version)).toEqual([2, 1]);
  expect(revisions.items[0]?.actor).toBe("token:bootstrap");
  expect(revisions.items[0]?.diff).toEqual({
    tasksMax: { from: 1, to: 2 },
    topicsExclude: { from: skipped, to: "" },
  });

  // Operators run flows; viewers cannot.
  await expectError(
    await request.post(`/api/v1/flows/${flowId}/start`, { headers: viewer }),
    403,
    "FORBIDDEN",
  );
  const started = await request.post(`/api/v1/flows/${flowId}/start`, { headers: operator });
  expect(started.status()).toBe(202);
  expect(((await started.json()) as { jobId: string }).jobId).not.toBe("");
  const events = await json<{ items: { kind: string }[] }>(
    await request.get(`/api/v1/flows/${flowId}/events`, { headers: viewer }),
  );
  expect(events.items.map((e) => e.kind)).toContain("operator.start.requested");

  const metrics = await json<{ points: unknown[]; stepSeconds: number }>(
    await request.get(`/api/v1/flows/${flowId}/metrics?step=300`, { headers: viewer }),
  );
  expect(metrics).toMatchObject({ points: [], stepSeconds: 300 });
  await expectError(
    await request.get(`/api/v1/flows/${flowId}/metrics?step=1`, { headers: viewer }),
    400,
    "VALIDATION_FAILED",
  );

  // Server-Sent Events: the state first, then metrics, until the client goes away.
  const abort = new AbortController();
  const stream = await fetch(`${baseURL}/api/v1/flows/${flowId}/stream`, {
    headers: viewer,
    signal: abort.signal,
  });
  expect(stream.headers.get("content-type")).toContain("text/event-stream");
  const reader = (stream.body as ReadableStream<Uint8Array>).getReader();
  let text = "";
  while (!text.includes("event: metrics")) text += new TextDecoder().decode((await reader.read()).value);
  abort.abort();
  expect(text).toContain("event: state");

  const inUse = await request.delete(`/api/v1/clusters/${sourceAlias}`, { headers: admin });
  await expectError(inUse, 409, "IN_USE");
  expect((await request.delete(`/api/v1/flows/${flowId}`, { headers: admin })).status()).toBe(204);
  await expectError(await request.get(`/api/v1/flows/${flowId}`, { headers: viewer }), 404, "NOT_FOUND");
  for (const alias of [sourceAlias, targetAlias, secureAlias]) {
    expect((await request.delete(`/api/v1/clusters/${alias}`, { headers: admin })).status()).toBe(204);
  }
});

test("every write is in the audit log with its actor, request id and outcome", async ({ request }) => {
  const audit = await json<{
    items: { action: string; actor: string; requestId: string; outcome: string; targetId: string | null }[];
  }>(await request.get("/api/v1/audit?limit=500", { headers: admin }));
  const mine = audit.items.filter(
    (e) => e.targetId === flowId || [sourceAlias, targetAlias, secureAlias].includes(e.targetId ?? ""),
  );
  const actions = mine.map((e) => `${e.action}:${e.outcome}`);
  for (const expected of [
    "clusters.create:ok",
    "clusters.create:CONFLICT",
    "clusters.update:STALE_VERSION",
    "clusters.update:ok",
    "clusters.test:ok",
    "flows.create:ok",
    "flows.update:ok",
    "flows.update:STALE_VERSION",
    "flows.start:ok",
    "clusters.delete:IN_USE",
    "flows.delete:ok",
    "clusters.delete:ok",
  ]) {
    expect(actions).toContain(expected);
  }
  expect(mine.every((e) => e.requestId.length >= 8 && e.actor.length > 0)).toBe(true);
});

test("the OpenAPI document is served to signed-in callers", async ({ request }) => {
  const doc = await json<{ openapi: string; paths: Record<string, unknown> }>(
    await request.get("/api/v1/openapi.json", { headers: admin }),
  );
  expect(doc.openapi).toBe("3.1.0");
  expect(Object.keys(doc.paths)).toContain("/api/v1/flows/{id}/stream");
});

test("no secret reaches a response or the server's log", async () => {
  const everything = seen.join("\n");
  expect(everything).not.toContain(saslPassword);
  expect(everything).not.toContain("secretkeymaterial");
  const log = readFileSync(e2eWebLog, "utf8");
  expect(log.length).toBeGreaterThan(0);
  for (const secret of [saslPassword, "secretkeymaterial"]) expect(log).not.toContain(secret);
});
