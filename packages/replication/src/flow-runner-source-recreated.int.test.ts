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
  produceKeyed,
  type ReadRecord,
  readAll,
  topicEndOffsets,
  uniqueName,
  waitFor,
  westBootstrap,
} from "../../../scripts/test-support/kafka-records.ts";
import type { FlowRunnerEvent } from "./flow-events.ts";
import { FlowRunner } from "./flow-runner.ts";

// A source topic deleted and created again under the same name, already longer than the flow's
// positions when the flow looks at it again: without the continuity check the flow resumes at its
// old positions in the new log, and the new records before them are skipped without a word.

const PARTITIONS = 2;
const OLD_RECORDS = 300;
const NEW_RECORDS = 1_200; // ~600 a partition, against positions of ~150
const FIRST_NEW = 1_000_000;

let fixture: FlowFixture;
const topicsToDelete: { bootstrap: string; topic: string }[] = [];

beforeAll(async () => {
  fixture = await migratedDatabaseWithClusters();
});
afterAll(async () => {
  for (const { bootstrap, topic } of topicsToDelete) await deleteTopics(bootstrap, [topic]);
  await fixture.cleanup();
});

const indexOf = (r: ReadRecord) => Number(r.value?.toString().split(":")[0]);

async function recreate(topic: string): Promise<void> {
  await deleteTopics(eastBootstrap, [topic]);
  const admin = kafkaFor(eastBootstrap).admin();
  await admin.connect();
  try {
    await waitFor(async () => !(await admin.listTopics()).includes(topic), 30_000, "the topic gone");
  } finally {
    await admin.disconnect();
  }
  await createTopic(eastBootstrap, topic, PARTITIONS);
  await produceKeyed(eastBootstrap, topic, NEW_RECORDS, { startIndex: FIRST_NEW });
}

async function setUp(name: string) {
  const topic = uniqueName(name);
  topicsToDelete.push(
    { bootstrap: eastBootstrap, topic },
    { bootstrap: westBootstrap, topic: `east.${topic}` },
  );
  await createTopic(eastBootstrap, topic, PARTITIONS);
  await produceKeyed(eastBootstrap, topic, OLD_RECORDS);
  const flowId = await createFlowRow(fixture, {
    name: uniqueName("flow"),
    topicsInclude: escapeRegex(topic),
  });
  const events: FlowRunnerEvent[] = [];
  const runner = (owner: string) =>
    new FlowRunner(testFlowSpec(flowId, escapeRegex(topic)), {
      positions: new PgPositionStore(fixture.db),
      owner,
      onEvent: (e) => events.push(e),
    });
  return { topic, flowId, events, runner };
}

/** Every new record is on the target after the old ones, in the source's order per partition. */
async function expectEveryNewRecordCopied(topic: string, events: FlowRunnerEvent[]): Promise<void> {
  const source = await readAll(eastBootstrap, topic, NEW_RECORDS);
  await waitFor(
    async () => {
      const ends = await topicEndOffsets(westBootstrap, `east.${topic}`);
      return ends.reduce((a, b) => a + b, 0) >= OLD_RECORDS + NEW_RECORDS;
    },
    90_000,
    "the new records on west",
  );
  const target = await readAll(westBootstrap, `east.${topic}`, OLD_RECORDS + NEW_RECORDS);
  for (let p = 0; p < PARTITIONS; p++) {
    const wanted = source.filter((r) => r.partition === p).map(indexOf);
    const copied = target.filter((r) => r.partition === p && indexOf(r) >= FIRST_NEW).map(indexOf);
    // Records copied from the new log before the reset was seen may come twice (at least once);
    // the first copies, in order, are exactly the new log.
    expect([...new Set(copied)]).toEqual(wanted);
  }
  expect(target.filter((r) => indexOf(r) < FIRST_NEW)).toHaveLength(OLD_RECORDS);
  const resets = events.filter((e) => e.kind === "partition.source-reset");
  expect(new Set(resets.map((e) => (e.details as { partition: number }).partition))).toEqual(new Set([0, 1]));
  for (const e of resets) {
    expect((e.details as { fromOffset: number }).fromOffset).toBe(0);
    expect(e.message).toMatch(/is not the log the flow copied from/);
  }
}

async function waitCopied(topic: string): Promise<number[]> {
  await waitFor(
    async () =>
      (await topicEndOffsets(westBootstrap, `east.${topic}`)).reduce((a, b) => a + b, 0) === OLD_RECORDS,
    60_000,
    "the old records on west",
  );
  return topicEndOffsets(eastBootstrap, topic);
}

/** A first worker copies the old records, then stops cleanly (its positions and marks written). */
async function copyOldRecordsAndStop(first: FlowRunner, topic: string): Promise<void> {
  await first.start();
  try {
    await waitCopied(topic);
  } finally {
    await first.stop();
  }
}

describe("FlowRunner when the source topic is deleted and created again, longer than the positions", () => {
  it("while the flow runs: after kafkajs's failed fetch or rejoin each partition proves its source, and the new log is copied from its start", async () => {
    const { topic, events, runner } = await setUp("recreated-running");
    const running = runner("running-worker");
    await running.start();
    try {
      const oldEnds = await waitCopied(topic);
      await recreate(topic);
      const newEnds = await topicEndOffsets(eastBootstrap, topic);
      // The case: every new partition is longer than the position the flow holds for it.
      for (const [p, end] of newEnds.entries()) expect(end).toBeGreaterThan(oldEnds[p]! * 2);
      await expectEveryNewRecordCopied(topic, events);
    } finally {
      await running.stop();
    }
  }, 180_000);

  it("while no worker runs it: the claim proves the source from the stored last record, and the new log is copied from its start", async () => {
    const { topic, events, runner } = await setUp("recreated-stopped");
    await copyOldRecordsAndStop(runner("first-worker"), topic);
    await recreate(topic);
    const second = runner("second-worker");
    await second.start();
    try {
      await expectEveryNewRecordCopied(topic, events);
    } finally {
      await second.stop();
    }
  }, 180_000);

  it("a restart of the same source proves it and copies nothing twice", async () => {
    const { topic, events, runner } = await setUp("not-recreated");
    await copyOldRecordsAndStop(runner("first-worker"), topic);
    await produceKeyed(eastBootstrap, topic, 100, { startIndex: OLD_RECORDS });
    const second = runner("second-worker");
    await second.start();
    try {
      await waitFor(
        async () =>
          (await topicEndOffsets(westBootstrap, `east.${topic}`)).reduce((a, b) => a + b, 0) >=
          OLD_RECORDS + 100,
        60_000,
        "the later records on west",
      );
      // Long enough for a wrong reset to have copied the partitions again.
      await new Promise((resolve) => setTimeout(resolve, 3_000));
    } finally {
      await second.stop();
    }
    expect((await topicEndOffsets(westBootstrap, `east.${topic}`)).reduce((a, b) => a + b, 0)).toBe(
      OLD_RECORDS + 100,
    );
    expect(events.filter((e) => e.kind === "partition.source-reset")).toEqual([]);
  }, 120_000);
});
