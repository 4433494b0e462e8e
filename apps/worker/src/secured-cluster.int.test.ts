// A flow from a cluster that takes only TLS and SASL/SCRAM-SHA-512 (the stack's on-demand `secure`
// broker, its own CA), run by a real worker from stored, sealed credentials. With a wrong password
// the flow says the credentials were refused, and its retries back off instead of storming.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { type ClusterConnection, createKafka } from "@mirrordeck/kafka";
import { createSecretBox } from "@mirrordeck/security";
import { Partitioners } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../../../scripts/db/paths.ts";
import { brokerCaCertificate } from "../../../scripts/stack/broker-tls.ts";
import { loadStackConfig, startClusters, stopCluster } from "../../../scripts/stack/index.ts";
import { clusterPaths } from "../../../scripts/stack/stack-config.ts";
import {
  createFlowRow,
  type FlowFixture,
  migratedDatabaseWithClusters,
  storeSaslSslCluster,
} from "../../../scripts/test-support/flow-fixtures.ts";
import {
  deleteTopics,
  partitionDigests,
  readAll,
  topicEndOffsets,
  uniqueName,
  waitFor,
  westBootstrap,
} from "../../../scripts/test-support/kafka-records.ts";

const config = loadStackConfig();
const secure = config.onDemandClusters.find((c) => c.alias === "secure")!;
const listener = secure.saslSsl!;
const secretKey = randomBytes(32).toString("base64");
const box = createSecretBox(secretKey);
const RECORDS = 3_000;

let fixture: FlowFixture;
let worker: ChildProcess | undefined;
let secureConnection: ClusterConnection;
const topic = uniqueName("secured");

function storeSecureCluster(alias: string, password: string): Promise<string> {
  return storeSaslSslCluster(fixture, {
    alias,
    bootstrapServers: listener.bootstrap,
    username: listener.username,
    password,
    caCertificate: brokerCaCertificate(config, secure),
    seal: (plain, context) => box.seal(plain, context),
  });
}

beforeAll(async () => {
  await startClusters({ aliases: ["secure"], report: (line) => console.log(`[stack] ${line}`) });
  secureConnection = {
    alias: "secure",
    bootstrapServers: listener.bootstrap,
    security: {
      protocol: "SASL_SSL",
      sasl: { mechanism: listener.mechanism, username: listener.username, password: listener.password },
      tls: { caCertificate: brokerCaCertificate(config, secure) },
    },
  };
  fixture = await migratedDatabaseWithClusters();
  const admin = createKafka(secureConnection).admin();
  await admin.connect();
  await admin.createTopics({
    topics: [{ topic, numPartitions: 3, replicationFactor: 1 }],
    waitForLeaders: true,
  });
  await admin.disconnect();
  const producer = createKafka(secureConnection).producer({
    createPartitioner: Partitioners.JavaCompatiblePartitioner,
  });
  await producer.connect();
  for (let i = 0; i < RECORDS; i += 500) {
    await producer.send({
      topic,
      acks: -1,
      messages: Array.from({ length: 500 }, (_, j) => ({
        key: `key-${(i + j) % 31}`,
        value: `${i + j}:${randomBytes(24).toString("base64")}`,
        headers: { "x-index": String(i + j) },
      })),
    });
  }
  await producer.disconnect();
  worker = spawn(process.execPath, ["--import", "tsx", path.join(repoRoot, "apps/worker/src/main.ts")], {
    cwd: repoRoot,
    env: {
      ...process.env,
      DATABASE_URL: fixture.url,
      MIRRORDECK_SECRET_KEY: secretKey,
      MIRRORDECK_WORKER_ID: "secured-w1",
      MIRRORDECK_QUEUE_PREFIX: uniqueName("secured"),
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
});

afterAll(async () => {
  if (worker && worker.exitCode === null) {
    const exited = new Promise((r) => worker!.once("exit", r));
    worker.kill("SIGTERM");
    await exited;
  }
  await deleteTopics(westBootstrap, [`secure.${topic}`]);
  await fixture?.cleanup();
  await stopCluster("secure", { report: (line) => console.log(`[stack] ${line}`) });
});

describe("a secured source cluster (TLS, SASL/SCRAM-SHA-512)", () => {
  it("replicates record for record from stored, sealed credentials", async () => {
    const sourceId = await storeSecureCluster("secure", listener.password);
    const flowId = await createFlowRow(fixture, {
      name: "secure-to-west",
      topicsInclude: topic.replace(/[.-]/g, "\\$&"),
      sourceId,
    });
    await fixture.db.flow.update({ where: { id: flowId }, data: { enabled: true } });
    // The worker reconciles every 10 s (no Redis broadcast here).
    await waitFor(
      async () =>
        (await topicEndOffsets(westBootstrap, `secure.${topic}`)).reduce((a, b) => a + b, 0) >= RECORDS,
      90_000,
      "the records on west",
    );
    // The test reads the source through the broker's plaintext listener (the stack's own).
    const sourceRecords = await readAll(secure.bootstrap, topic, RECORDS);
    const target = await readAll(westBootstrap, `secure.${topic}`, RECORDS);
    expect(target).toHaveLength(RECORDS);
    expect(partitionDigests(target)).toEqual(partitionDigests(sourceRecords));
  });

  it("with a wrong password: ERROR saying the credentials were refused, and retries that back off", async () => {
    const logFile = clusterPaths(config, "secure").logFile;
    const logStart = statSync(logFile).size;
    const sourceId = await storeSecureCluster("secure-wrong", "not-the-password");
    const flowId = await createFlowRow(fixture, {
      name: "wrong-password",
      topicsInclude: topic.replace(/[.-]/g, "\\$&"),
      sourceId,
    });
    await fixture.db.flow.update({ where: { id: flowId }, data: { enabled: true } });
    const started = Date.now();
    await waitFor(
      async () => (await fixture.db.flow.findUniqueOrThrow({ where: { id: flowId } })).state === "ERROR",
      60_000,
      "the flow in ERROR",
    );
    const errorAfter = (Date.now() - started) / 1000;
    // Watch the retries for 45 s: with back-off (10 s, 20 s, 40 s …) a handful of attempts.
    await new Promise((r) => setTimeout(r, 45_000));
    const flow = await fixture.db.flow.findUniqueOrThrow({ where: { id: flowId } });
    const failedLogins = readFileSync(logFile, "utf8")
      .slice(logStart)
      .split("\n")
      .filter((l) => l.includes("Failed authentication")).length;
    const attempts = await fixture.db.flowEvent.count({ where: { flowId, kind: "flow.state" } });
    console.log(
      `wrong password: ERROR after ${errorAfter.toFixed(1)} s; ${failedLogins} failed logins and ${attempts} state changes in ${((Date.now() - started) / 1000).toFixed(0)} s; reason: ${flow.stateReason}`,
    );
    expect(flow.state).toBe("ERROR");
    expect(flow.stateReason).toMatch(/authentication failed|refused our credentials|SASL/i);
    expect(flow.stateReason).not.toContain("not-the-password");
    // Back-off: attempts at about 0, 10 and 30 s (without it, one every 10 s reconcile: 5 or more).
    expect(failedLogins).toBeGreaterThan(0);
    expect(failedLogins).toBeLessThanOrEqual(4);
    expect(attempts).toBeLessThanOrEqual(3);
  }, 150_000);
});
