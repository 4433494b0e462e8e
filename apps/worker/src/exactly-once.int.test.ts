// Exactly-once mode (ADR 0015) with real worker processes: a worker killed with SIGKILL mid-stream
// and a zombie (paused with SIGSTOP past its session, resumed after another worker took its task
// over) leave the target, as a read_committed consumer sees it, with every source record exactly
// once — checked by count and checksum per partition — while a read_uncommitted consumer shows the
// aborted copies were really written.
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { createKafka } from "@mirrordeck/kafka";
import { Kafka, type KafkaMessage, logLevel } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PgPositionStore } from "../../../packages/db/src/index.ts";
import { readTopicToEnd } from "../../../packages/replication/src/kafkajs/read-topic-to-end.ts";
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
  partitionDigests,
  produceKeyed,
  type ReadRecord,
  uniqueName,
  waitFor,
  westBootstrap,
} from "../../../scripts/test-support/kafka-records.ts";

const BATCH = 300;

let fixture: FlowFixture;
const workers = new Map<string, ChildProcess>();

/** One source topic, its remote topic, and how many records were produced to it so far. */
class Stream {
  readonly topic = uniqueName("eos");
  readonly remote = `east.${this.topic}`;
  produced = 0;

  async produce(batches: number): Promise<void> {
    for (let i = 0; i < batches; i++) {
      await produceKeyed(eastBootstrap, this.topic, BATCH, { startIndex: this.produced });
      this.produced += BATCH;
    }
  }

  /**
   * Steady traffic (BATCH / 10 records every 50 ms) for `ms`, with `during` run halfway: with
   * commits every 500 ms, the copying workers always have records in an open transaction then.
   */
  async trickle(ms: number, during: () => void): Promise<void> {
    const until = Date.now() + ms;
    let fired = false;
    while (Date.now() < until) {
      await produceKeyed(eastBootstrap, this.topic, BATCH / 10, { startIndex: this.produced });
      this.produced += BATCH / 10;
      if (!fired && Date.now() >= until - ms / 2) {
        fired = true;
        during();
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async committedCount(): Promise<number> {
    return (await readTopic(westBootstrap, this.remote, "read_committed").catch(() => [])).length;
  }

  /** Count and SHA-256 per partition of source and read_committed target, and the uncommitted count. */
  async compare() {
    const source = await readTopic(eastBootstrap, this.topic, "read_committed");
    const committed = await readTopic(westBootstrap, this.remote, "read_committed");
    const uncommitted = await readTopic(westBootstrap, this.remote, "read_uncommitted");
    return { source, committed, uncommitted };
  }

  async enableFlow(name: string, tasksMax: number, exactlyOnce = true): Promise<string> {
    const flowId = await createFlowRow(fixture, { name, topicsInclude: this.topic.replace(/[.-]/g, "\\$&") });
    await fixture.db.flow.update({
      where: { id: flowId },
      data: { enabled: true, tasksMax, settings: { exactlyOnce, commitIntervalMs: 500 } },
    });
    return flowId;
  }
}
const streams: Stream[] = [];

function startWorker(id: string): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(repoRoot, "apps/worker/src/main.ts")], {
    cwd: repoRoot,
    env: {
      ...process.env,
      DATABASE_URL: fixture.url,
      MIRRORDECK_WORKER_ID: id,
      MIRRORDECK_METRICS_PORT: "0",
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
  workers.set(id, child);
  return child;
}

function toReadRecord(m: KafkaMessage, partition: number): ReadRecord {
  const { offset, key, value, timestamp, headers } = m;
  return { partition, offset: Number(offset), key, value, timestamp, headers: headers ?? {} };
}

/** A topic as a consumer with the given isolation sees it, to its end. */
async function readTopic(
  bootstrap: string,
  topic: string,
  isolation: "read_committed" | "read_uncommitted",
): Promise<ReadRecord[]> {
  const records: ReadRecord[] = [];
  const onRecord = (m: KafkaMessage, partition: number) => records.push(toReadRecord(m, partition));
  if (isolation === "read_committed") {
    await readTopicToEnd(createKafka({ alias: "any", bootstrapServers: bootstrap }), topic, onRecord, {
      timeoutMs: 30_000,
    });
    return records;
  }
  // read_uncommitted: a plain consumer told so, read until quiet.
  const consumer = new Kafka({ brokers: [bootstrap], logLevel: logLevel.NOTHING }).consumer({
    groupId: uniqueName("uncommitted"),
    readUncommitted: true,
    maxWaitTimeInMs: 200,
  });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let last = Date.now();
  await consumer.run({
    eachBatch: async ({ batch }) => {
      last = Date.now();
      for (const m of batch.messages) onRecord(m, batch.partition);
    },
  });
  await waitFor(async () => Date.now() - last > 3_000, 60_000, "the uncommitted read to go quiet");
  await consumer.disconnect();
  return records;
}

async function stopAll(): Promise<void> {
  for (const child of workers.values()) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    child.kill("SIGCONT");
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    await exited;
  }
}

beforeAll(async () => {
  fixture = await migratedDatabaseWithClusters();
});

afterAll(async () => {
  await stopAll();
  await deleteTopics(
    eastBootstrap,
    streams.map((s) => s.topic),
  );
  await deleteTopics(
    westBootstrap,
    streams.map((s) => s.remote),
  );
  await fixture?.cleanup();
});

/** Checks the stream's target against its source and logs what the test saw. */
async function expectExactlyOnce(stream: Stream, label: string): Promise<void> {
  const { source, committed, uncommitted } = await stream.compare();
  const fenced = await fixture.db.flowEvent.count({ where: { kind: "partition.fenced" } });
  console.log(
    `${label}: ${source.length} source records; read_committed ${committed.length}; read_uncommitted ${uncommitted.length} (${uncommitted.length - committed.length} aborted copies); partition.fenced events so far: ${fenced}`,
  );
  expect(source).toHaveLength(stream.produced);
  expect(committed).toHaveLength(stream.produced);
  expect(partitionDigests(committed)).toEqual(partitionDigests(source));
  // Workers died with records in open transactions: written on the target, never committed.
  expect(uncommitted.length).toBeGreaterThan(committed.length);
}

describe("exactly-once mode", () => {
  it("a worker killed mid-stream, then a zombie paused past its session: every record exactly once", async () => {
    const stream = new Stream();
    streams.push(stream);
    await createTopic(eastBootstrap, stream.topic, 3);
    await stream.produce(4);
    await stream.enableFlow("eos-one-task", 1);
    const w1 = startWorker("eos-w1");
    await waitFor(async () => (await stream.committedCount()) >= BATCH, 90_000, "w1's first commits");
    // Steady traffic, and w1 dies in the middle of it: its open transaction is left behind.
    await stream.trickle(3_000, () => w1.kill("SIGKILL"));
    startWorker("eos-w2");
    await waitFor(async () => (await stream.committedCount()) >= stream.produced, 120_000, "w2 to catch up");

    // w2 freezes past its session; w3 takes the task over (fencing w2), traffic goes on, then w2
    // wakes up with a transaction it can no longer commit.
    const w2 = workers.get("eos-w2")!;
    await stream.trickle(3_000, () => w2.kill("SIGSTOP"));
    startWorker("eos-w3");
    await stream.produce(2);
    await waitFor(async () => (await stream.committedCount()) >= stream.produced, 120_000, "w3 to take over");
    w2.kill("SIGCONT");
    await stream.produce(2);
    await waitFor(async () => (await stream.committedCount()) >= stream.produced, 60_000, "the last records");
    await new Promise((r) => setTimeout(r, 5_000)); // w2 had its chance to commit anything
    await expectExactlyOnce(stream, "one task");
  }, 420_000);

  it("two tasks on two workers, one killed mid-stream: the other takes its task over, exactly once", async () => {
    // w2 and w3 run on from the test before; a flow with tasks.max 2 gives each one task.
    const stream = new Stream();
    streams.push(stream);
    await createTopic(eastBootstrap, stream.topic, 4);
    await stream.produce(2);
    const flowId = await stream.enableFlow("eos-two-tasks", 2);
    const owners = async () =>
      new Set((await new PgPositionStore(fixture.db).read(flowId)).map((p) => p.owner).filter(Boolean));
    await waitFor(async () => (await owners()).size === 2, 90_000, "both workers holding a task");
    console.log(`two tasks held by: ${[...(await owners())].join(", ")}`);
    let killedAt = 0;
    await stream.trickle(3_000, () => {
      workers.get("eos-w3")!.kill("SIGKILL");
      killedAt = Date.now();
    });
    await stream.produce(2);
    await waitFor(
      async () => (await stream.committedCount()) >= stream.produced,
      120_000,
      "w2 to take both tasks",
    );
    console.log(
      `two tasks: complete ${Date.now() - killedAt} ms after the kill; owners ${[...(await owners())].join(", ")}`,
    );
    await expectExactlyOnce(stream, "two tasks");
    expect([...(await owners())]).toEqual(["eos-w2"]);
  }, 300_000);

  it("a flow switched between at-least-once and exactly-once resumes from its positions each time: nothing is copied twice", async () => {
    // w2 runs on from the tests before (a worker of its own when this test runs alone).
    if (![...workers.values()].some((w) => w.exitCode === null && w.signalCode === null))
      startWorker("eos-w4");
    const stream = new Stream();
    streams.push(stream);
    await createTopic(eastBootstrap, stream.topic, 3);
    const flowId = await stream.enableFlow("eos-switched", 1, false);
    const positionsWritten = async () =>
      (await new PgPositionStore(fixture.db).read(flowId)).reduce((sum, p) => sum + (p.nextOffset ?? 0), 0);
    // at-least-once → exactly-once → at-least-once → exactly-once: the last switch finds the
    // positions topic as the first exactly-once period left it, behind Postgres's positions.
    for (const [round, exactlyOnce] of [false, true, false, true].entries()) {
      if (round > 0) {
        await fixture.db.flow.update({
          where: { id: flowId },
          data: { settings: { exactlyOnce, commitIntervalMs: 500 } },
        });
      }
      await stream.produce(2);
      await waitFor(
        async () =>
          (await stream.committedCount()) >= stream.produced && (await positionsWritten()) >= stream.produced,
        120_000,
        `round ${round + 1} (${exactlyOnce ? "exactly-once" : "at-least-once"}) to be copied`,
      );
      const { source, committed } = await stream.compare();
      console.log(
        `switched, round ${round + 1} (${exactlyOnce ? "exactly-once" : "at-least-once"}): ${source.length} source records, read_committed ${committed.length}`,
      );
      expect(committed).toHaveLength(stream.produced);
      expect(partitionDigests(committed)).toEqual(partitionDigests(source));
    }
  }, 300_000);
});
