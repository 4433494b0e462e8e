import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PgPositionStore } from "../../../packages/db/src/index.ts";
import { escapeRegex, testFlowSpec } from "../../../scripts/test-support/engine-spec.ts";
import {
  createFlowRow,
  type FlowFixture,
  migratedDatabaseWithClusters,
} from "../../../scripts/test-support/flow-fixtures.ts";
import {
  createTopic,
  deleteTopics,
  eastBootstrap,
  kafkaFor,
  partitionDigests,
  produceKeyed,
  readAll,
  topicEndOffsets,
  uniqueName,
  waitFor,
  westBootstrap,
} from "../../../scripts/test-support/kafka-records.ts";
import type { FlowRunnerEvent } from "./flow-events.ts";
import { FlowRunner } from "./flow-runner.ts";

let fixture: FlowFixture;
const topicsToDelete: { bootstrap: string; topic: string }[] = [];

beforeAll(async () => {
  fixture = await migratedDatabaseWithClusters();
});
afterAll(async () => {
  for (const { bootstrap, topic } of topicsToDelete) await deleteTopics(bootstrap, [topic]);
  await fixture.cleanup();
});

const spec = testFlowSpec;

/** MM2's OffsetSync layout, decoded here from the shared doc (not with our encoder's code). */
function decodeSyncIndependently(key: Buffer, value: Buffer) {
  const topicLength = key.readInt16BE(0);
  const topic = key.subarray(2, 2 + topicLength).toString("utf8");
  const partition = key.readInt32BE(2 + topicLength);
  return {
    topic,
    partition,
    upstream: Number(value.readBigInt64BE(0)),
    downstream: Number(value.readBigInt64BE(8)),
  };
}

async function readOffsetSyncs(
  topic: string,
  where: { bootstrap: string; syncsTopic: string } = {
    bootstrap: eastBootstrap,
    syncsTopic: "mm2-offset-syncs.west.internal",
  },
) {
  const syncs: ReturnType<typeof decodeSyncIndependently>[] = [];
  const [high] = await topicEndOffsets(where.bootstrap, where.syncsTopic);
  if (!high) return syncs; // no syncs topic (or an empty one): nothing was written
  const consumer = kafkaFor(where.bootstrap).consumer({ groupId: uniqueName("syncs-reader") });
  await consumer.connect();
  await consumer.subscribe({ topic: where.syncsTopic, fromBeginning: true });
  await new Promise<void>((resolve) => {
    let seen = 0;
    void consumer.run({
      eachMessage: async ({ message }) => {
        seen = Number(message.offset) + 1;
        const sync = decodeSyncIndependently(message.key!, message.value!);
        if (sync.topic === topic) syncs.push(sync);
        if (seen >= high) resolve();
      },
    });
  });
  await consumer.disconnect();
  return syncs;
}

describe("FlowRunner", () => {
  it("replicates 10,000 keyed records with headers byte-for-byte, partition for partition, and resumes exactly", async () => {
    const topic = uniqueName("orders");
    const remote = `east.${topic}`;
    topicsToDelete.push({ bootstrap: eastBootstrap, topic }, { bootstrap: westBootstrap, topic: remote });
    await createTopic(eastBootstrap, topic, 6);
    await produceKeyed(eastBootstrap, topic, 10_000);

    const flowId = await createFlowRow(fixture, {
      name: uniqueName("flow"),
      topicsInclude: escapeRegex(topic),
    });
    const events: FlowRunnerEvent[] = [];
    const positions = new PgPositionStore(fixture.db);
    const started = Date.now();
    let runner = new FlowRunner(spec(flowId, escapeRegex(topic)), {
      positions,
      owner: "test-worker-1",
      onEvent: (e) => events.push(e),
    });
    await runner.start();
    await waitFor(
      async () => (await topicEndOffsets(westBootstrap, remote)).reduce((a, b) => a + b, 0) >= 10_000,
      90_000,
      "10,000 records on west",
    );
    const copySeconds = (Date.now() - started) / 1000;
    await runner.stop();
    console.log(`copied 10,000 records in ${copySeconds.toFixed(1)} s (includes group join)`);

    const source = partitionDigests(await readAll(eastBootstrap, topic, 10_000));
    const target = partitionDigests(await readAll(westBootstrap, remote, 10_000));
    expect(source.size).toBe(6);
    expect(target).toEqual(source);
    expect(events.some((e) => e.kind === "topic.created")).toBe(true);

    // Every partition's position ends at its log end, fenced by the worker's epoch.
    const stored = (await positions.read(flowId)).filter((p) => p.topic === topic);
    const ends = await topicEndOffsets(eastBootstrap, topic);
    expect(stored.map((p) => p.nextOffset)).toEqual(ends);

    // Offset syncs: MM2 layout, one per partition at least, each pointing at a real copy.
    const syncs = await readOffsetSyncs(topic);
    expect(new Set(syncs.map((s) => s.partition)).size).toBe(6);
    const targetRecords = await readAll(westBootstrap, remote, 10_000);
    const sourceRecords = await readAll(eastBootstrap, topic, 10_000);
    for (const sync of syncs) {
      const up = sourceRecords.find((r) => r.partition === sync.partition && r.offset === sync.upstream)!;
      const down = targetRecords.find((r) => r.partition === sync.partition && r.offset === sync.downstream)!;
      expect(down.value).toEqual(up.value);
    }

    // A clean stop wrote every position: a new runner continues with no duplicate and no gap.
    await produceKeyed(eastBootstrap, topic, 1_000, { startIndex: 10_000 });
    runner = new FlowRunner(spec(flowId, escapeRegex(topic)), { positions, owner: "test-worker-2" });
    await runner.start();
    await waitFor(
      async () => (await topicEndOffsets(westBootstrap, remote)).reduce((a, b) => a + b, 0) >= 11_000,
      60_000,
      "11,000 records on west",
    );
    await new Promise((r) => setTimeout(r, 1_500));
    await runner.stop();
    const total = (await topicEndOffsets(westBootstrap, remote)).reduce((a, b) => a + b, 0);
    expect(total).toBe(11_000);
    expect(partitionDigests(await readAll(westBootstrap, remote, 11_000))).toEqual(
      partitionDigests(await readAll(eastBootstrap, topic, 11_000)),
    );
  }, 240_000);

  it("picks up a topic created on the source after the flow started, and partitions added later", async () => {
    const prefix = uniqueName("late");
    const first = `${prefix}-a`;
    const second = `${prefix}-b`;
    topicsToDelete.push(
      { bootstrap: eastBootstrap, topic: first },
      { bootstrap: eastBootstrap, topic: second },
      { bootstrap: westBootstrap, topic: `east.${first}` },
      { bootstrap: westBootstrap, topic: `east.${second}` },
    );
    await createTopic(eastBootstrap, first, 1);
    const flowId = await createFlowRow(fixture, {
      name: uniqueName("flow"),
      topicsInclude: `${escapeRegex(prefix)}-.*`,
    });
    const runner = new FlowRunner(
      spec(flowId, `${escapeRegex(prefix)}-.*`, { refreshTopicsIntervalMs: 2_000 }),
      {
        positions: new PgPositionStore(fixture.db),
        owner: "test-worker-1",
        ...(process.env.DEBUG_ENGINE && {
          log: {
            debug: () => {},
            info: (f: object, m: string) => console.log("INFO", m, JSON.stringify(f)),
            warn: (f: object, m: string) => console.log("WARN", m, JSON.stringify(f)),
            error: (f: object, m: string) => console.log("ERROR", m, JSON.stringify(f)),
          },
        }),
      },
    );
    await runner.start();
    try {
      await createTopic(eastBootstrap, second, 2);
      await produceKeyed(eastBootstrap, second, 300);
      await waitFor(
        async () =>
          (await topicEndOffsets(westBootstrap, `east.${second}`)).reduce((a, b) => a + b, 0) >= 300,
        60_000,
        "records of the late topic on west",
      );
      const admin = kafkaFor(eastBootstrap).admin();
      await admin.connect();
      await admin.createPartitions({ topicPartitions: [{ topic: second, count: 4 }] });
      await admin.disconnect();
      await produceKeyed(eastBootstrap, second, 400, { startIndex: 300 });
      await waitFor(
        async () => (await topicEndOffsets(westBootstrap, `east.${second}`)).length === 4,
        30_000,
        "the remote topic to grow to 4 partitions",
      );
      await waitFor(
        async () =>
          (await topicEndOffsets(westBootstrap, `east.${second}`)).reduce((a, b) => a + b, 0) >= 700,
        60_000,
        "records of the new partitions on west",
      );
      expect(partitionDigests(await readAll(westBootstrap, `east.${second}`, 700))).toEqual(
        partitionDigests(await readAll(eastBootstrap, second, 700)),
      );
    } finally {
      await runner.stop();
    }
  }, 180_000);

  it("never replicates a topic back to the cluster it came from (two-way pair), and honours the identity policy", async () => {
    const topic = uniqueName("twoway");
    topicsToDelete.push(
      { bootstrap: eastBootstrap, topic },
      { bootstrap: westBootstrap, topic: `east.${topic}` },
      { bootstrap: westBootstrap, topic: `${topic}-id` },
      { bootstrap: eastBootstrap, topic: `${topic}-id` },
    );
    await createTopic(eastBootstrap, topic, 2);
    await produceKeyed(eastBootstrap, topic, 200);
    const pattern = `.*${escapeRegex(topic)}`;
    const eastToWest = await createFlowRow(fixture, { name: uniqueName("e2w"), topicsInclude: pattern });
    const westToEast = await createFlowRow(fixture, {
      name: uniqueName("w2e"),
      topicsInclude: pattern,
      sourceId: fixture.westId,
      targetId: fixture.eastId,
    });
    const positions = new PgPositionStore(fixture.db);
    const forward = new FlowRunner(spec(eastToWest, pattern), { positions, owner: "w1" });
    const backward = new FlowRunner(
      spec(westToEast, pattern, {
        source: { alias: "west", bootstrapServers: westBootstrap },
        target: { alias: "east", bootstrapServers: eastBootstrap },
        refreshTopicsIntervalMs: 1_000,
      }),
      { positions, owner: "w1" },
    );
    await forward.start();
    await backward.start();
    try {
      await waitFor(
        async () => (await topicEndOffsets(westBootstrap, `east.${topic}`)).reduce((a, b) => a + b, 0) >= 200,
        60_000,
        "east→west copy",
      );
      await new Promise((r) => setTimeout(r, 4_000)); // several refreshes of the backward flow
      const admin = kafkaFor(eastBootstrap).admin();
      await admin.connect();
      const eastTopics = await admin.listTopics();
      await admin.disconnect();
      expect(eastTopics).not.toContain(`west.east.${topic}`);
      expect(eastTopics.filter((t) => t.includes(topic))).toEqual([topic]);
    } finally {
      await backward.stop();
      await forward.stop();
    }

    // Identity: the remote topic keeps the source name.
    const idTopic = `${topic}-id`;
    await createTopic(eastBootstrap, idTopic, 1);
    await produceKeyed(eastBootstrap, idTopic, 50);
    const idFlow = await createFlowRow(fixture, {
      name: uniqueName("id"),
      topicsInclude: escapeRegex(idTopic),
      policy: "IDENTITY",
    });
    const identity = new FlowRunner(
      spec(idFlow, escapeRegex(idTopic), { policy: { kind: "IDENTITY", separator: "." } }),
      {
        positions,
        owner: "w1",
      },
    );
    await identity.start();
    try {
      await waitFor(
        async () => (await topicEndOffsets(westBootstrap, idTopic)).reduce((a, b) => a + b, 0) >= 50,
        60_000,
        "identity copy",
      );
    } finally {
      await identity.stop();
    }
  }, 180_000);

  it("starts at the log end under LATEST, writes offset syncs on the target when told to, and none when disabled", async () => {
    const latestTopic = uniqueName("latest");
    const quietTopic = uniqueName("nosyncs");
    topicsToDelete.push(
      { bootstrap: eastBootstrap, topic: latestTopic },
      { bootstrap: westBootstrap, topic: `east.${latestTopic}` },
      { bootstrap: eastBootstrap, topic: quietTopic },
      { bootstrap: westBootstrap, topic: `east.${quietTopic}` },
    );
    await createTopic(eastBootstrap, latestTopic, 2);
    await createTopic(eastBootstrap, quietTopic, 1);
    await produceKeyed(eastBootstrap, latestTopic, 100);
    await produceKeyed(eastBootstrap, quietTopic, 30);
    const positions = new PgPositionStore(fixture.db);
    const startOffsets = new Map<number, number>();

    const latestFlow = await createFlowRow(fixture, {
      name: uniqueName("latest"),
      topicsInclude: escapeRegex(latestTopic),
    });
    const latest = new FlowRunner(
      spec(latestFlow, escapeRegex(latestTopic), {
        startPosition: "LATEST",
        offsetSyncsTopicLocation: "target",
      }),
      { positions, owner: "w1" },
    );
    await latest.start();
    try {
      // The start position is the log end at the first claim, written to the store.
      await waitFor(
        async () => {
          const stored = (await positions.read(latestFlow)).filter((p) => p.topic === latestTopic);
          return stored.length === 2 && stored.reduce((a, p) => a + (p.nextOffset ?? 0), 0) === 100;
        },
        30_000,
        "positions at the log end",
      );
      for (const p of await positions.read(latestFlow)) {
        if (p.topic === latestTopic) startOffsets.set(p.partition, p.nextOffset ?? -1);
      }
      await produceKeyed(eastBootstrap, latestTopic, 50, { startIndex: 100 });
      await waitFor(
        async () =>
          (await topicEndOffsets(westBootstrap, `east.${latestTopic}`)).reduce((a, b) => a + b, 0) >= 50,
        30_000,
        "records produced after the start",
      );
    } finally {
      await latest.stop();
    }
    const copied = await readAll(westBootstrap, `east.${latestTopic}`, 50);
    expect(copied).toHaveLength(50);
    expect(copied.every((r) => Number(r.value!.toString().split(":")[0]) >= 100)).toBe(true);
    // offset-syncs.topic.location=target: on west, named after the source alias.
    const onTarget = await readOffsetSyncs(latestTopic, {
      bootstrap: westBootstrap,
      syncsTopic: "mm2-offset-syncs.east.internal",
    });
    expect(onTarget.length).toBeGreaterThan(0);
    // Offsets are per partition: every sync lies at or after where that partition started.
    for (const sync of onTarget)
      expect(sync.upstream).toBeGreaterThanOrEqual(startOffsets.get(sync.partition)!);

    const quietFlow = await createFlowRow(fixture, {
      name: uniqueName("quiet"),
      topicsInclude: escapeRegex(quietTopic),
    });
    const quiet = new FlowRunner(spec(quietFlow, escapeRegex(quietTopic), { emitOffsetSyncs: false }), {
      positions,
      owner: "w1",
    });
    await quiet.start();
    try {
      await waitFor(
        async () =>
          (await topicEndOffsets(westBootstrap, `east.${quietTopic}`)).reduce((a, b) => a + b, 0) >= 30,
        30_000,
        "the topic without offset syncs copied",
      );
    } finally {
      await quiet.stop();
    }
    expect(await readOffsetSyncs(quietTopic)).toEqual([]);
  }, 120_000);
});
