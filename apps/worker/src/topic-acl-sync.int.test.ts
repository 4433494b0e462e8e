// Topic ACL sync (MM2's sync.topic.acls.*) run by a real worker's flow leader against the stack's
// on-demand `secure` broker: Kafka's StandardAuthorizer, SASL/SCRAM over TLS. The broker serves as
// source and target under two cluster aliases each (secure-a → secure-b, secure-c → secure-r), so
// remote topics are `secure-a.<topic>` on the same broker and no third broker is needed.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { type FlowAclSyncStatus, flowLeaderStatusKey, flowLeaderStatusSchema } from "@mirrordeck/contracts";
import { createSecretBox } from "@mirrordeck/security";
import { Redis } from "ioredis";
import type { AclEntry, Admin } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../../../scripts/db/paths.ts";
import { brokerCaCertificate } from "../../../scripts/stack/broker-tls.ts";
import { loadStackConfig, startClusters, stopCluster } from "../../../scripts/stack/index.ts";
import {
  createFlowRow,
  type FlowFixture,
  migratedDatabaseWithClusters,
  storeSaslSslCluster,
} from "../../../scripts/test-support/flow-fixtures.ts";
import { deleteTopics, kafkaFor, uniqueName, waitFor } from "../../../scripts/test-support/kafka-records.ts";

// kafkajs's enum values (its CommonJS enums are not importable by name from ESM).
const RESOURCE = { TOPIC: 2, CLUSTER: 4 } as const;
const PATTERN = { LITERAL: 3, PREFIXED: 4 } as const;
const OPERATION = { ANY: 1, ALL: 2, READ: 3, WRITE: 4, ALTER: 7, DESCRIBE: 8, DESCRIBE_CONFIGS: 10 } as const;
const PERMISSION = { DENY: 2, ALLOW: 3 } as const;
const OPERATION_NAMES = Object.fromEntries(Object.entries(OPERATION).map(([k, v]) => [v, k]));
const PERMISSION_NAMES = Object.fromEntries(Object.entries(PERMISSION).map(([k, v]) => [v, k]));

const config = loadStackConfig();
const secure = config.onDemandClusters.find((c) => c.alias === "secure")!;
const listener = secure.saslSsl!;
const secretKey = randomBytes(32).toString("base64");
const box = createSecretBox(secretKey);
const restricted = listener.restrictedUser;
const restrictedPrincipal = `User:${restricted.username}`;

const topic = uniqueName("acl");
const restrictedTopic = uniqueName("acl-r");
const remoteTopic = `secure-a.${topic}`;

let fixture: FlowFixture;
let worker: ChildProcess | undefined;
let admin: Admin; // the broker's plaintext listener: ANONYMOUS, a super user
let redis: Redis;
const created: AclEntry[] = [];

function acl(
  resourceName: string,
  principal: string,
  operation: keyof typeof OPERATION,
  permission: keyof typeof PERMISSION,
  options: { pattern?: keyof typeof PATTERN; resource?: keyof typeof RESOURCE } = {},
): AclEntry {
  return {
    resourceType: RESOURCE[options.resource ?? "TOPIC"],
    resourceName,
    resourcePatternType: PATTERN[options.pattern ?? "LITERAL"],
    principal,
    host: "*",
    operation: OPERATION[operation],
    permissionType: PERMISSION[permission],
  } as AclEntry;
}

async function createAcls(entries: AclEntry[]): Promise<void> {
  await admin.createAcls({ acl: entries });
  created.push(...entries);
}

/** The LITERAL ACLs on one topic as "principal OPERATION PERMISSION", sorted. */
async function topicAcls(name: string): Promise<string[]> {
  const response = await admin.describeAcls({
    resourceType: RESOURCE.TOPIC,
    resourceName: name,
    resourcePatternType: PATTERN.LITERAL,
    operation: OPERATION.ANY,
    permissionType: 1,
  } as Parameters<Admin["describeAcls"]>[0]);
  return response.resources
    .flatMap((r) =>
      r.acls.map(
        (a) => `${a.principal} ${OPERATION_NAMES[a.operation]} ${PERMISSION_NAMES[a.permissionType]}`,
      ),
    )
    .sort();
}

function storeCluster(alias: string, user: { username: string; password: string }): Promise<string> {
  return storeSaslSslCluster(fixture, {
    alias,
    bootstrapServers: listener.bootstrap,
    ...user,
    caCertificate: brokerCaCertificate(config, secure),
    seal: (password, context) => box.seal(password, context),
  });
}

async function aclStatus(flowId: string): Promise<FlowAclSyncStatus | null> {
  const raw = await redis.get(flowLeaderStatusKey(flowId));
  if (raw === null) return null;
  return flowLeaderStatusSchema.parse(JSON.parse(raw)).acls ?? null;
}

async function startFlow(
  name: string,
  sourceId: string,
  targetId: string,
  include: string,
  settings: object,
) {
  const flowId = await createFlowRow(fixture, {
    name,
    topicsInclude: include.replace(/[.-]/g, "\\$&"),
    sourceId,
    targetId,
  });
  await fixture.db.flow.update({
    where: { id: flowId },
    // Heartbeats off: on a broker that is its own target they would be copied into themselves.
    data: { enabled: true, settings: { emitHeartbeatsEnabled: false, ...settings } },
  });
  return flowId;
}

beforeAll(async () => {
  await startClusters({ aliases: ["secure"], report: (line) => console.log(`[stack] ${line}`) });
  fixture = await migratedDatabaseWithClusters();
  redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379", { maxRetriesPerRequest: null });
  admin = kafkaFor(secure.bootstrap).admin();
  await admin.connect();
  await admin.createTopics({
    topics: [topic, restrictedTopic].map((t) => ({ topic: t, numPartitions: 2, replicationFactor: 1 })),
    waitForLeaders: true,
  });
  await createAcls([
    acl(topic, "User:alice", "READ", "ALLOW"), // copied, renamed by the flow's principal map
    acl(topic, "User:bob", "ALL", "ALLOW"), // copied as READ
    acl(topic, "User:carol", "WRITE", "ALLOW"), // never copied: only replication writes remote topics
    acl(topic, "User:mallory", "READ", "DENY"), // DENY copied as is
    acl("acl-", "User:dave", "DESCRIBE", "ALLOW", { pattern: "PREFIXED" }), // LITERAL only
    acl(remoteTopic, "User:ops", "DESCRIBE", "ALLOW"), // only on the target: left alone
    acl(restrictedTopic, "User:alice", "READ", "ALLOW"),
    // The restricted user may do anything but ALTER the cluster (create ACLs) and read the configs
    // of its remote topics.
    acl("kafka-cluster", restrictedPrincipal, "ALL", "ALLOW", { resource: "CLUSTER" }),
    acl("kafka-cluster", restrictedPrincipal, "ALTER", "DENY", { resource: "CLUSTER" }),
    acl("secure-c.", restrictedPrincipal, "ALL", "ALLOW", { pattern: "PREFIXED" }),
    acl("secure-c.", restrictedPrincipal, "DESCRIBE_CONFIGS", "DENY", { pattern: "PREFIXED" }),
  ]);
  worker = spawn(process.execPath, ["--import", "tsx", path.join(repoRoot, "apps/worker/src/main.ts")], {
    cwd: repoRoot,
    env: {
      ...process.env,
      DATABASE_URL: fixture.url,
      MIRRORDECK_SECRET_KEY: secretKey,
      MIRRORDECK_WORKER_ID: "acl-w1",
      MIRRORDECK_QUEUE_PREFIX: uniqueName("acl"),
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
}, 120_000);

afterAll(async () => {
  if (worker && worker.exitCode === null) {
    const exited = new Promise((r) => worker!.once("exit", r));
    worker.kill("SIGTERM");
    await exited;
  }
  if (admin) {
    // ACLs outlive their topics: delete ours and what the flows created on the remote topics.
    const onTopics = await admin
      .describeAcls({
        resourceType: RESOURCE.TOPIC,
        resourcePatternType: PATTERN.LITERAL,
        operation: OPERATION.ANY,
        permissionType: 1,
      } as Parameters<Admin["describeAcls"]>[0])
      .then((r) =>
        r.resources
          .filter((res) => [remoteTopic, `secure-c.${restrictedTopic}`].includes(res.resourceName))
          .flatMap((res) =>
            res.acls.map(
              (a) =>
                ({
                  ...a,
                  resourceType: RESOURCE.TOPIC,
                  resourceName: res.resourceName,
                  resourcePatternType: PATTERN.LITERAL,
                }) as AclEntry,
            ),
          ),
      )
      .catch(() => [] as AclEntry[]);
    await admin.deleteAcls({ filters: [...created, ...onTopics] }).catch(() => {});
    await admin.disconnect();
  }
  await deleteTopics(secure.bootstrap, [topic, restrictedTopic, remoteTopic, `secure-c.${restrictedTopic}`]);
  redis?.disconnect();
  await fixture?.cleanup();
  await stopCluster("secure", { report: (line) => console.log(`[stack] ${line}`) });
});

describe("topic ACL sync on a broker with an authorizer (SASL/SCRAM, TLS)", () => {
  it("creates the source's topic ACLs on the remote topic with MM2's mapping; a target-only ACL stays", async () => {
    const [a, b] = [await storeCluster("secure-a", listener), await storeCluster("secure-b", listener)];
    const flowId = await startFlow("acl-a-to-b", a, b, topic, {
      syncTopicAclsIntervalSeconds: 5,
      aclPrincipalMap: { "User:alice": "User:alice-dr" },
    });
    const expected = [
      "User:alice-dr READ ALLOW",
      "User:bob READ ALLOW",
      "User:mallory READ DENY",
      "User:ops DESCRIBE ALLOW",
    ];
    // The worker reconciles every 10 s (no Redis broadcast here), then its leader syncs at once.
    await waitFor(
      async () => (await topicAcls(remoteTopic)).length >= expected.length,
      90_000,
      "ACLs on the remote topic",
    );
    expect(await topicAcls(remoteTopic)).toEqual(expected);
    // The leader publishes its status right after the round that created them.
    await waitFor(
      async () => ((await aclStatus(flowId))?.createdTotal ?? 0) >= 3,
      10_000,
      "the round's status",
    );
    const status = await aclStatus(flowId);
    expect(status).toMatchObject({
      enabled: true,
      intervalSeconds: 5,
      problem: null,
      createdTotal: 3,
      toCreate: 0,
    });
    expect(status?.targetOnly).toBe(1);

    // A binding added on the source later arrives with the next round (every 5 s).
    await createAcls([acl(topic, "User:erin", "DESCRIBE", "ALLOW")]);
    await waitFor(
      async () => (await topicAcls(remoteTopic)).includes("User:erin DESCRIBE ALLOW"),
      30_000,
      "the new ACL",
    );
    expect(await topicAcls(remoteTopic)).toEqual([...expected, "User:erin DESCRIBE ALLOW"].sort());
    const events = await fixture.db.flowEvent.findMany({ where: { flowId, kind: "acls.synced" } });
    expect(events.map((e) => e.message)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^3 topic ACL binding\(s\) created on secure-b/)]),
    );
  }, 150_000);

  it("without ALTER on the cluster and DESCRIBE_CONFIGS on its topics, the flow says so in words", async () => {
    const [c, r] = [await storeCluster("secure-c", listener), await storeCluster("secure-r", restricted)];
    const flowId = await startFlow("acl-c-to-r", c, r, restrictedTopic, {
      syncTopicAclsIntervalSeconds: 5,
      syncTopicConfigsIntervalSeconds: 5,
    });
    await waitFor(async () => (await aclStatus(flowId))?.problem != null, 90_000, "the leader's ACL round");
    const status = await aclStatus(flowId);
    console.log(`restricted target: ${status?.problem}`);
    expect(status?.problem).toBe(
      `secure-r refused to create ACLs: ${restrictedPrincipal} needs ALTER on the cluster.`,
    );
    expect(status).toMatchObject({ createdTotal: 0, toCreate: 1 });
    expect(await topicAcls(`secure-c.${restrictedTopic}`)).toEqual([]);
    await waitFor(
      async () =>
        (await fixture.db.flowEvent.count({
          where: { flowId, message: { contains: "needs DESCRIBE_CONFIGS on the topic" } },
        })) > 0,
      30_000,
      "the config sync's refusal among the flow events",
    );
    const events = await fixture.db.flowEvent.findMany({
      where: { flowId, kind: { in: ["acls.sync-failed", "topic.error"] } },
    });
    for (const e of events) console.log(`  ${e.kind}: ${e.message}`);
    expect(events.filter((e) => e.kind === "acls.sync-failed").map((e) => e.message)).toEqual([
      status?.problem,
    ]);
    expect(
      events.some((e) =>
        e.message.includes(`${restrictedPrincipal} needs DESCRIBE_CONFIGS on the topic on secure-r`),
      ),
    ).toBe(true);
  }, 150_000);
});
