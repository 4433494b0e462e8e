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

const PARTITIONS = 3;
const BATCH = 300;

let fixture: FlowFixture;
const workers = new Map<string, ChildProcess>();
const topic = uniqueName("eos");
const remote = `east.${topic}`;
let produced = 0;

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

async function produce(batches: number): Promise<void> {
  for (let i = 0; i < batches; i++) {
    await produceKeyed(eastBootstrap, topic, BATCH, { startIndex: produced });
    produced += BATCH;
  }
}

/**
 * Steady traffic (BATCH / 10 records every 50 ms) for `ms`, with `during` run halfway: with
 * commits every 500 ms, the copying worker always has records in an open transaction then.
 */
async function trickle(ms: number, during: () => void): Promise<void> {
  const until = Date.now() + ms;
  let fired = false;
  while (Date.now() < until) {
    await produceKeyed(eastBootstrap, topic, BATCH / 10, { startIndex: produced });
    produced += BATCH / 10;
    if (!fired && Date.now() >= until - ms / 2) {
      fired = true;
      during();
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

function toReadRecord(m: KafkaMessage, partition: number): ReadRecord {
  const { offset, key, value, timestamp, headers } = m;
  return { partition, offset: Number(offset), key, value, timestamp, headers: headers ?? {} };
}

/** The topic as a consumer with the given isolation sees it, to its end. */
async function readRemote(isolation: "read_committed" | "read_uncommitted"): Promise<ReadRecord[]> {
  const records: ReadRecord[] = [];
  const kafka =
    isolation === "read_committed"
      ? createKafka({ alias: "west", bootstrapServers: westBootstrap })
      : new Kafka({ brokers: [westBootstrap], logLevel: logLevel.NOTHING });
  const onRecord = (m: KafkaMessage, partition: number) => records.push(toReadRecord(m, partition));
  if (isolation === "read_committed") {
    await readTopicToEnd(kafka, remote, onRecord, { timeoutMs: 30_000 });
  } else {
    // read_uncommitted: a plain consumer told so, read until quiet.
    const consumer = kafka.consumer({
      groupId: uniqueName("uncommitted"),
      readUncommitted: true,
      maxWaitTimeInMs: 200,
    });
    await consumer.connect();
    await consumer.subscribe({ topic: remote, fromBeginning: true });
    let last = Date.now();
    await consumer.run({
      eachBatch: async ({ batch }) => {
        last = Date.now();
        for (const m of batch.messages) onRecord(m, batch.partition);
      },
    });
    await waitFor(async () => Date.now() - last > 3_000, 60_000, "the uncommitted read to go quiet");
    await consumer.disconnect();
  }
  return records;
}

async function sourceRecords(): Promise<ReadRecord[]> {
  const records: ReadRecord[] = [];
  await readTopicToEnd(
    createKafka({ alias: "east", bootstrapServers: eastBootstrap }),
    topic,
    (m, partition) => records.push(toReadRecord(m, partition)),
  );
  return records;
}

async function committedCount(): Promise<number> {
  return (await readRemote("read_committed").catch(() => [])).length;
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
  await createTopic(eastBootstrap, topic, PARTITIONS);
  await produce(4);
  const flowId = await createFlowRow(fixture, { name: "eos", topicsInclude: topic.replace(/[.-]/g, "\\$&") });
  await fixture.db.flow.update({
    where: { id: flowId },
    data: { enabled: true, settings: { exactlyOnce: true, commitIntervalMs: 500 } },
  });
});

afterAll(async () => {
  await stopAll();
  await deleteTopics(eastBootstrap, [topic]);
  await deleteTopics(westBootstrap, [remote]);
  await fixture?.cleanup();
});

describe("exactly-once mode", () => {
  it("a worker killed mid-stream, then a zombie paused past its session: every record exactly once", async () => {
    const w1 = startWorker("eos-w1");
    await waitFor(async () => (await committedCount()) >= BATCH, 90_000, "w1's first commits");
    // Steady traffic, and w1 dies in the middle of it: its open transaction is left behind.
    await trickle(3_000, () => w1.kill("SIGKILL"));
    startWorker("eos-w2");
    await waitFor(async () => (await committedCount()) >= produced, 120_000, "w2 to catch up");

    // w2 freezes past its session; w3 takes the task over (fencing w2), traffic goes on, then w2
    // wakes up with a transaction it can no longer commit.
    const w2 = workers.get("eos-w2")!;
    await trickle(3_000, () => w2.kill("SIGSTOP"));
    startWorker("eos-w3");
    await produce(2);
    await waitFor(async () => (await committedCount()) >= produced, 120_000, "w3 to take over");
    w2.kill("SIGCONT");
    await produce(2);
    await waitFor(async () => (await committedCount()) >= produced, 60_000, "the last records");
    await new Promise((r) => setTimeout(r, 5_000)); // w2 had its chance to commit anything

    const source = await sourceRecords();
    const committed = await readRemote("read_committed");
    const uncommitted = await readRemote("read_uncommitted");
    const fenced = await fixture.db.flowEvent.findMany({ where: { kind: "partition.fenced" } });
    console.log(
      `exactly-once: ${source.length} source records; read_committed ${committed.length}; read_uncommitted ${uncommitted.length} (aborted copies); fenced events: ${fenced.map((e) => e.message).join(" | ")}`,
    );
    expect(source).toHaveLength(produced);
    expect(committed).toHaveLength(produced);
    expect(partitionDigests(committed)).toEqual(partitionDigests(source));
    // The SIGKILL left records of an open transaction on the target: written, never committed.
    expect(uncommitted.length).toBeGreaterThan(committed.length);
  }, 420_000);
});
