import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import { type AclEntry, type Admin, Kafka, logLevel } from "kafkajs";
import { brokerCaCertificate } from "../../../scripts/stack/broker-tls.ts";
import { loadStackConfig, startClusters, stopCluster } from "../../../scripts/stack/index.ts";
import { e2eBaseUrl } from "../../e2e-env.ts";
import { admin } from "../../support/api.ts";
import { signIn } from "../../support/auth.ts";

// The flow page's Topic ACLs tab against the stack's `secure` broker (StandardAuthorizer,
// SASL/SCRAM over TLS), registered twice, as source and as target: it shows both sides' ACLs on
// the flow's topics and the difference, and "Sync now" creates what the remote topic lacks with
// MM2's mapping while a target-only binding stays.

const config = loadStackConfig();
const secure = config.onDemandClusters.find((c) => c.alias === "secure")!;
const listener = secure.saslSsl!;
const stamp = randomBytes(4).toString("hex");
const sourceAlias = `tacl-src-${stamp}`;
const targetAlias = `tacl-dst-${stamp}`;
const topic = `tacl-${stamp}`;
const remoteTopic = `${sourceAlias}.${topic}`;
// kafkajs's enum values (CommonJS enums are not importable by name from ESM).
const TOPIC = 2;
const LITERAL = 3;
const OPERATIONS: Record<string, number> = { ANY: 1, ALL: 2, READ: 3, WRITE: 4, DESCRIBE: 8 };
const PERMISSIONS: Record<string, number> = { ANY: 1, DENY: 2, ALLOW: 3 };
const NAMES = (table: Record<string, number>) =>
  Object.fromEntries(Object.entries(table).map(([k, v]) => [v, k]));

let kafkaAdmin: Admin;
let flowId: string | undefined;

function acl(resourceName: string, principal: string, operation: string, permission: string): AclEntry {
  return {
    resourceType: TOPIC,
    resourceName,
    resourcePatternType: LITERAL,
    principal,
    host: "*",
    operation: OPERATIONS[operation],
    permissionType: PERMISSIONS[permission],
  } as AclEntry;
}

async function aclsOn(name: string): Promise<string[]> {
  const response = await kafkaAdmin.describeAcls({
    resourceType: TOPIC,
    resourceName: name,
    resourcePatternType: LITERAL,
    operation: OPERATIONS.ANY,
    permissionType: PERMISSIONS.ANY,
  } as Parameters<Admin["describeAcls"]>[0]);
  const op = NAMES(OPERATIONS);
  const perm = NAMES(PERMISSIONS);
  return response.resources
    .flatMap((r) => r.acls.map((a) => `${a.principal} ${op[a.operation]} ${perm[a.permissionType]}`))
    .sort();
}

test.beforeAll(async () => {
  test.setTimeout(120_000);
  await startClusters({ aliases: ["secure"], report: (line) => console.log(`[stack] ${line}`) });
  // The plaintext listener: ANONYMOUS, a super user of the test broker.
  kafkaAdmin = new Kafka({ brokers: [secure.bootstrap], logLevel: logLevel.NOTHING }).admin();
  await kafkaAdmin.connect();
  await kafkaAdmin.createTopics({
    topics: [{ topic, numPartitions: 1, replicationFactor: 1 }],
    waitForLeaders: true,
  });
  await kafkaAdmin.createAcls({
    acl: [
      acl(topic, "User:alice", "READ", "ALLOW"),
      acl(topic, "User:bob", "ALL", "ALLOW"),
      acl(topic, "User:carol", "WRITE", "ALLOW"),
      acl(remoteTopic, "User:ops", "DESCRIBE", "ALLOW"),
    ],
  });
});

test.afterAll(async ({ playwright }) => {
  const api = await playwright.request.newContext({ baseURL: e2eBaseUrl });
  if (flowId) await api.delete(`/api/v1/flows/${flowId}`, { headers: admin });
  for (const alias of [sourceAlias, targetAlias])
    await api.delete(`/api/v1/clusters/${alias}`, { headers: admin });
  await api.dispose();
  if (kafkaAdmin) {
    const filters = [topic, remoteTopic].map(
      (name) =>
        ({
          resourceType: TOPIC,
          resourceName: name,
          resourcePatternType: LITERAL,
          operation: OPERATIONS.ANY,
          permissionType: PERMISSIONS.ANY,
        }) as never,
    );
    await kafkaAdmin.deleteAcls({ filters }).catch(() => {});
    await kafkaAdmin.deleteTopics({ topics: [topic] }).catch(() => {});
    await kafkaAdmin.disconnect();
  }
  await stopCluster("secure", { report: (line) => console.log(`[stack] ${line}`) });
});

test("the Topic ACLs tab shows both sides and the difference; Sync now creates what is missing", async ({
  page,
  request,
}) => {
  test.setTimeout(120_000);
  for (const alias of [sourceAlias, targetAlias]) {
    const cluster = await request.post("/api/v1/clusters", {
      headers: admin,
      data: {
        alias,
        bootstrapServers: listener.bootstrap,
        securityProtocol: "SASL_SSL",
        sasl: { mechanism: listener.mechanism, username: listener.username, password: listener.password },
        tls: { caCertificate: brokerCaCertificate(config, secure) },
      },
    });
    expect(cluster.status(), await cluster.text()).toBe(201);
  }
  const created = await request.post("/api/v1/flows", {
    headers: admin,
    data: {
      name: `topic-acls-${stamp}`,
      sourceAlias,
      targetAlias,
      topicsInclude: topic,
      replicationFactor: 1,
      enabled: false,
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const flow = (await created.json()) as { id: string; version: number };
  flowId = flow.id;

  // The principal map is validated at the API, in words.
  const bad = await request.patch(`/api/v1/flows/${flow.id}`, {
    headers: admin,
    data: { version: flow.version, settings: { aclPrincipalMap: { alice: "User:alice-dr" } } },
  });
  expect(bad.status()).toBe(400);
  expect(await bad.text()).toContain("must be a Kafka principal such as User:alice");
  const mapped = await request.patch(`/api/v1/flows/${flow.id}`, {
    headers: admin,
    data: { version: flow.version, settings: { aclPrincipalMap: { "User:alice": "User:alice-dr" } } },
  });
  expect(mapped.status(), await mapped.text()).toBe(200);

  await signIn(page);
  await page.goto(`/flows/${flow.id}`);
  await page.getByRole("tab", { name: "Topic ACLs" }).click();
  const panel = page.getByTestId("flow-acls");
  const source = panel.getByTestId("acls-source");
  await expect(source.getByRole("row")).toHaveCount(4); // header and three bindings
  await expect(source.getByTestId(`acl-${topic}-User:carol-WRITE-ALLOW`)).toBeVisible();
  const difference = panel.getByTestId("acls-difference");
  await expect(difference.getByRole("heading")).toHaveText(
    "Difference: 2 to create, 0 in place, 1 only on the target",
  );
  await expect(difference.getByTestId(`acl-${remoteTopic}-User:alice-dr-READ-ALLOW`)).toContainText(
    "creates it",
  );
  await expect(difference.getByTestId(`acl-${remoteTopic}-User:bob-READ-ALLOW`)).toContainText("creates it");
  await expect(difference.getByTestId(`acl-${remoteTopic}-User:ops-DESCRIBE-ALLOW`)).toContainText(
    "target only: left alone",
  );
  await expect(panel.getByText(/User:alice.*→.*User:alice-dr/)).toBeVisible();

  await panel.getByRole("button", { name: "Sync now" }).click();
  await expect(panel.getByTestId("acls-sync-result")).toHaveText(
    `Sync ran: 2 binding(s) created on ${targetAlias}.`,
  );
  await expect(difference.getByRole("heading")).toHaveText(
    "Difference: 0 to create, 2 in place, 1 only on the target",
  );
  await expect(panel.getByTestId("acls-target").getByRole("row")).toHaveCount(4);
  expect(await aclsOn(remoteTopic)).toEqual([
    "User:alice-dr READ ALLOW",
    "User:bob READ ALLOW",
    "User:ops DESCRIBE ALLOW",
  ]);
  // A second run has nothing to do.
  await panel.getByRole("button", { name: "Sync now" }).click();
  await expect(panel.getByTestId("acls-sync-result")).toHaveText(
    `Sync ran: 0 binding(s) created on ${targetAlias}.`,
  );
  const events = (await (
    await request.get(`/api/v1/flows/${flow.id}/events`, { headers: admin })
  ).json()) as { items: { kind: string; message: string }[] };
  expect(events.items.filter((e) => e.kind === "acls.synced").map((e) => e.message)).toContainEqual(
    expect.stringMatching(new RegExp(`^2 topic ACL binding\\(s\\) created on ${targetAlias} by `)),
  );
});
