// Lifecycle jobs (start, pause, resume) travel through BullMQ to a real worker process, and
// their effect shows in the flow's state within seconds.
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { flowLeaderStatusKey, flowLeaderStatusSchema, QueueName } from "@mirrordeck/contracts";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listFlowEvents } from "../../../packages/db/src/index.ts";
import { repoRoot } from "../../../scripts/db/paths.ts";
import {
  createFlowRow,
  type FlowFixture,
  migratedDatabaseWithClusters,
} from "../../../scripts/test-support/flow-fixtures.ts";
import {
  createTopic,
  deleteTopics,
  eastBootstrap,
  produceKeyed,
  topicEndOffsets,
  uniqueName,
  waitFor,
  westBootstrap,
} from "../../../scripts/test-support/kafka-records.ts";

let fixture: FlowFixture;
let worker: ChildProcess;
let queue: Queue;
let connection: Redis;
const topic = uniqueName("lifecycle");

beforeAll(async () => {
  fixture = await migratedDatabaseWithClusters();
  await createTopic(eastBootstrap, topic, 2);
  connection = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379", { maxRetriesPerRequest: null });
  // A queue of its own so that no other worker on this machine takes the jobs.
  process.env.MIRRORDECK_QUEUE_PREFIX = uniqueName("bull");
  queue = new Queue(QueueName.FlowLifecycle, { connection, prefix: process.env.MIRRORDECK_QUEUE_PREFIX });
  worker = spawn(process.execPath, ["--import", "tsx", path.join(repoRoot, "apps/worker/src/main.ts")], {
    cwd: repoRoot,
    env: {
      ...process.env,
      DATABASE_URL: fixture.url,
      MIRRORDECK_WORKER_ID: "lifecycle-worker",
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
});

afterAll(async () => {
  worker.kill("SIGTERM");
  await new Promise((r) => (worker.exitCode !== null ? r(null) : worker.once("exit", r)));
  await queue.obliterate({ force: true }).catch(() => {});
  await queue.close();
  connection.disconnect();
  await deleteTopics(eastBootstrap, [topic]);
  await deleteTopics(westBootstrap, [`east.${topic}`]);
  await fixture.cleanup();
});

async function request(flowId: string, action: "start" | "pause" | "resume"): Promise<number> {
  const sentAt = Date.now();
  await queue.add(action, { flowId, action, requestedBy: "test", requestedAt: new Date().toISOString() });
  return sentAt;
}

async function flowState(flowId: string): Promise<string> {
  return (await fixture.db.flow.findUniqueOrThrow({ where: { id: flowId } })).state;
}

describe("flow lifecycle jobs", () => {
  it("start, pause and resume take effect within seconds, and pausing stops the copy", async () => {
    const flowId = await createFlowRow(fixture, {
      name: uniqueName("lc"),
      topicsInclude: topic.replace(/[.-]/g, "\\$&"),
    });
    await produceKeyed(eastBootstrap, topic, 200);

    let sentAt = await request(flowId, "start");
    await waitFor(async () => (await flowState(flowId)) === "RUNNING", 30_000, "RUNNING after start");
    const startSeconds = (Date.now() - sentAt) / 1000;
    await waitFor(
      async () => (await topicEndOffsets(westBootstrap, `east.${topic}`)).reduce((a, b) => a + b, 0) === 200,
      30_000,
      "records copied",
    );

    sentAt = await request(flowId, "pause");
    await waitFor(async () => (await flowState(flowId)) === "PAUSED", 15_000, "PAUSED after pause");
    const pauseSeconds = (Date.now() - sentAt) / 1000;
    await new Promise((r) => setTimeout(r, 1_000)); // let the runner finish stopping
    await produceKeyed(eastBootstrap, topic, 100, { startIndex: 200 });
    await new Promise((r) => setTimeout(r, 3_000));
    expect((await topicEndOffsets(westBootstrap, `east.${topic}`)).reduce((a, b) => a + b, 0)).toBe(200);

    sentAt = await request(flowId, "resume");
    await waitFor(
      async () => (await topicEndOffsets(westBootstrap, `east.${topic}`)).reduce((a, b) => a + b, 0) === 300,
      30_000,
      "copy resumed",
    );
    const resumeSeconds = (Date.now() - sentAt) / 1000;

    // The worker leads the flow's checkpoints and heartbeats and publishes their status, with
    // heartbeats that crossed the data plane (east's heartbeats, replicated as east.heartbeats).
    await waitFor(
      async () => {
        const raw = await connection.get(flowLeaderStatusKey(flowId));
        if (raw === null) return false;
        const status = flowLeaderStatusSchema.parse(JSON.parse(raw));
        return (
          status.workerId === "lifecycle-worker" &&
          status.offsetSyncs.readToEnd &&
          status.heartbeats.replicatedTopic === "east.heartbeats" &&
          (status.heartbeats.lastReplicatedTimestamp ?? 0) > Date.now() - 15_000
        );
      },
      40_000,
      "leader status with a fresh replicated heartbeat",
    );
    console.log(
      `lifecycle: start→RUNNING ${startSeconds.toFixed(1)} s, pause→PAUSED ${pauseSeconds.toFixed(1)} s, resume→copying ${resumeSeconds.toFixed(1)} s`,
    );
    expect(pauseSeconds).toBeLessThan(10);

    const kinds = (await listFlowEvents(fixture.db, flowId)).map((e) => e.kind);
    expect(kinds).toEqual(
      expect.arrayContaining([
        "operator.start",
        "operator.pause",
        "operator.resume",
        "flow.started",
        "flow.stopped",
      ]),
    );
  }, 120_000);
});
