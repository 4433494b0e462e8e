// Topics change under the flow: retention deletes records before they are copied, records carry
// skewed clocks, the remote topic is deleted by hand on the target.
import { Redis } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import { type FlowMetricsSnapshot, flowMetricsChannel } from "../../packages/contracts/src/index.ts";
import {
  createTopic,
  deleteTopics,
  eastBootstrap,
  kafkaFor,
  produceKeyed,
  topicEndOffsets,
  waitFor,
  westBootstrap,
} from "../../scripts/test-support/kafka-records.ts";
import { recordScenario } from "../harness/chaos-report.ts";
import { ChaosRig } from "../harness/chaos-rig.ts";
import { expectNoLoss } from "../harness/expectations.ts";
import { trafficMs } from "../harness/profile.ts";
import { compareReplica, readTopic } from "../harness/replica-check.ts";

const RATE = 400;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let rig: ChaosRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

interface GapDetails {
  partition: number;
  fromOffset: number;
  toOffset: number;
}

async function events(r: ChaosRig, kind: string) {
  return r.fixture.db.flowEvent.findMany({
    where: { flowId: r.flowId, kind },
    orderBy: { createdAt: "asc" },
  });
}

describe("topics change under the flow", () => {
  it("retention deletes records the flow has not copied: the gap is reported per partition, and it is all that is lost", async () => {
    rig = await ChaosRig.start({ scenario: "retention-gap", workers: 1, rate: RATE });
    await rig.waitCopying();
    await sleep(trafficMs);
    // Stopped cleanly, so the stored positions are exactly what was copied.
    expect(await rig.workers[0]!.kill("SIGTERM")).toBe(0);
    await sleep(3_000);
    const ends = await topicEndOffsets(eastBootstrap, rig.topic);
    const positions = await rig.positions();
    const victims = [0, 1, 2];
    const admin = kafkaFor(eastBootstrap).admin();
    await admin.connect();
    await admin.fetchTopicMetadata({ topics: [rig.topic] });
    await admin.deleteTopicRecords({
      topic: rig.topic,
      partitions: victims.map((partition) => ({ partition, offset: String(ends[partition]) })),
    });
    await admin.disconnect();
    const expected = victims.map((partition) => ({
      partition,
      fromOffset: Number(positions.find((p) => p.partition === partition)!.nextOffset),
      toOffset: ends[partition]! - 1,
    }));
    const deleted = expected.reduce((sum, g) => sum + g.toOffset - g.fromOffset + 1, 0);
    expect(deleted, "uncopied records deleted by retention").toBeGreaterThan(0);

    rig.workers[0]!.start();
    const recoverySeconds = await rig.waitCaughtUp();
    await waitFor(
      async () => (await events(rig!, "partition.retention-gap")).length >= victims.length,
      30_000,
      "the gaps reported",
    );
    const reported = (await events(rig, "partition.retention-gap")).map(
      (e) => e.details as unknown as GapDetails,
    );
    const reportedLost = reported.reduce((sum, g) => sum + g.toOffset - g.fromOffset + 1, 0);
    await sleep(trafficMs);
    const result = await rig.finish({
      recoverySeconds,
      expectedLost: reportedLost,
      note: `partitions ${victims.join(", ")} truncated past the flow's positions while it was stopped`,
    });
    expect(
      reported
        .map(({ partition, fromOffset, toOffset }) => ({ partition, fromOffset, toOffset }))
        .sort((a, b) => a.partition - b.partition),
    ).toEqual(expected);
    expect(result.row.lost).toBe(deleted);
    expect(result.row.lost).toBe(reportedLost);
    // Everything still on the source is on the target, in order.
    expect(result.check.lost).toBe(0);
    expect(result.check.outOfOrder).toBe(0);
    expect(result.check.digestsMatch).toBe(true);
    expect(result.row.duplicates).toBe(0);
  });

  it("records dated an hour ahead and an hour behind: order and timestamps kept, latency metrics stay sane", async () => {
    rig = await ChaosRig.start({ scenario: "clock-skew", workers: 1, rate: RATE });
    const snapshots: FlowMetricsSnapshot[] = [];
    const subscriber = new Redis(rig.redis.url);
    await subscriber.subscribe(flowMetricsChannel(rig.flowId));
    subscriber.on("message", (_channel, message) =>
      snapshots.push(JSON.parse(message) as FlowMetricsSnapshot),
    );
    try {
      await rig.waitCopying();
      // A second producer whose clock is off by an hour either way, among the live traffic.
      const producer = kafkaFor(eastBootstrap).producer();
      await producer.connect();
      for (let round = 0; round < 10; round++) {
        const now = Date.now();
        await producer.send({
          topic: rig.topic,
          acks: -1,
          messages: Array.from({ length: 20 }, (_, i) => ({
            key: `skewed-${i % 7}`,
            value: `skewed-${round}-${i}`,
            timestamp: String(i % 2 === 0 ? now + 3_600_000 : now - 3_600_000),
          })),
        });
        await sleep(500);
      }
      await producer.disconnect();
      await sleep(trafficMs);
      const recoverySeconds = await rig.waitCaughtUp();
      const result = await rig.finish({ recoverySeconds, note: "200 records dated ±1 h among 400/s" });
      expectNoLoss(result);
      const partitions = snapshots.flatMap((s) => s.partitions).filter((p) => p.topic === rig!.topic);
      expect(partitions.length).toBeGreaterThan(10);
      for (const p of partitions) {
        for (const value of [p.latencyP50Ms, p.latencyP99Ms, p.lagSeconds]) {
          if (value !== null) {
            expect(Number.isFinite(value)).toBe(true);
            expect(value).toBeGreaterThanOrEqual(0);
          }
        }
        // Most records are live: the median is theirs, not the skewed ones'.
        if (p.latencyP50Ms !== null) expect(p.latencyP50Ms).toBeLessThan(10_000);
      }
    } finally {
      subscriber.disconnect();
    }
  });

  it("the remote topic is deleted by hand: it is created again and filled from the source's log start", async () => {
    rig = await ChaosRig.start({ scenario: "target-topic-deleted", workers: 2, rate: RATE });
    await rig.waitCopying();
    await sleep(trafficMs);
    await deleteTopics(westBootstrap, [rig.remoteTopic]);
    const recoverySeconds = await rig.waitCaughtUp(180_000);
    await waitFor(
      async () => (await events(rig!, "topic.recreated")).length >= 6,
      60_000,
      "the re-creation reported",
    );
    await sleep(trafficMs);
    const result = await rig.finish({
      recoverySeconds,
      note: "recovery = deletion until the remote topic holds everything again",
    });
    expectNoLoss(result);
    const recreated = await events(rig, "topic.recreated");
    expect(new Set(recreated.map((e) => (e.details as { partition: number }).partition)).size).toBe(6);
  });

  // kafkajs exposes no topic IDs: the flow tells the new log from the old one by reading its last
  // copied record again. The new partitions here are already longer than the old positions when
  // the flow looks, so resuming at those positions would skip their first records without a word.
  it("the source topic is deleted and created again with fewer partitions, each longer than the flow's positions: each partition's reset is reported and every new record is copied", async () => {
    const started = Date.now();
    rig = await ChaosRig.start({
      scenario: "source-topic-recreated",
      workers: 1,
      rate: RATE,
      settings: { refreshTopicsIntervalSeconds: 5 },
    });
    await rig.waitCopying();
    await sleep(trafficMs);
    await rig.stopProducer();
    await rig.waitCaughtUp();
    const oldCopies = (await readTopic(westBootstrap, rig.remoteTopic)).length;
    const oldPositions = await rig.positions();

    await deleteTopics(eastBootstrap, [rig.topic]);
    const admin = kafkaFor(eastBootstrap).admin();
    await admin.connect();
    await waitFor(async () => !(await admin.listTopics()).includes(rig!.topic), 30_000, "the topic gone");
    await admin.disconnect();
    const recreatedAt = Date.now();
    await createTopic(eastBootstrap, rig.topic, 3);
    // Twice the highest old position in each of the 3 new partitions (keys spread them evenly).
    const highest = Math.max(...oldPositions.map((p) => Number(p.nextOffset)));
    const NEW_RECORDS = Math.max(3_000, highest * 6);
    const FIRST_NEW = 1_000_000;
    await produceKeyed(eastBootstrap, rig.topic, NEW_RECORDS, { startIndex: FIRST_NEW });

    await waitFor(
      async () => (await events(rig!, "partition.source-reset")).length >= 3,
      90_000,
      "each partition's reset reported",
    );
    const ends = await topicEndOffsets(eastBootstrap, rig.topic);
    // The case this scenario is about: every new partition is longer than the old position.
    for (const [partition, end] of ends.entries()) {
      expect(end).toBeGreaterThan(Number(oldPositions.find((p) => p.partition === partition)?.nextOffset));
    }
    await waitFor(
      async () => {
        const stored = await rig!.positions();
        return ends.every(
          (end, partition) => stored.find((p) => p.partition === partition)?.nextOffset === end,
        );
      },
      90_000,
      "the new partitions copied",
    );
    const recoverySeconds = (Date.now() - recreatedAt) / 1000;
    const source = await readTopic(eastBootstrap, rig.topic);
    const target = await readTopic(westBootstrap, rig.remoteTopic);
    const isNew = (value: Buffer | null) => Number(value?.toString().split(":")[0]) >= FIRST_NEW;
    const check = compareReplica(
      source,
      target.filter((r) => isNew(r.value)),
    );
    const resets = (await events(rig, "partition.source-reset")).map(
      (e) => e.details as { partition: number; fromOffset: number },
    );
    recordScenario({
      scenario: "source-topic-recreated",
      produced: NEW_RECORDS,
      sourceRecords: check.source,
      replicated: check.replicated,
      lost: check.lost,
      expectedLost: 0,
      duplicates: check.duplicates,
      outOfOrder: check.outOfOrder,
      recoverySeconds,
      seconds: Math.round((Date.now() - started) / 1000),
      note: `6 → 3 partitions, ${NEW_RECORDS.toLocaleString("en-US")} records (old positions up to ${highest}); recovery = re-created until they are copied`,
    });
    expect(source).toHaveLength(NEW_RECORDS);
    expect(check.missing).toEqual([]);
    expect(check.outOfOrder).toBe(0);
    expect(check.digestsMatch).toBe(true);
    expect(check.duplicates).toBe(0);
    expect(new Set(resets.map((r) => r.partition))).toEqual(new Set([0, 1, 2]));
    expect(resets.every((r) => r.fromOffset === 0)).toBe(true);
    // What was copied before stays on the target.
    expect(target.filter((r) => !isNew(r.value))).toHaveLength(oldCopies);
  });
});
