import { randomBytes } from "node:crypto";
import type { PartitionMetrics } from "@mirrordeck/contracts";
import type { Message } from "kafkajs";
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
  type ReadRecord,
  readAll,
  topicEndOffsets,
  uniqueName,
  waitFor,
  westBootstrap,
} from "../../../scripts/test-support/kafka-records.ts";
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

const big = randomBytes(1_500_000); // over the brokers' default 1 MiB limit, under the topic's
const hugeHeader = randomBytes(200_000);

/** Odd but legal records, each in its own partition slot, in the order they are produced. */
const oddRecords: (Message & { partition: number })[] = [
  { partition: 0, key: null, value: Buffer.from("no key") },
  { partition: 0, key: Buffer.from("no value"), value: null },
  { partition: 0, key: Buffer.from(""), value: Buffer.from(""), headers: {} },
  { partition: 1, key: Buffer.from("big"), value: big },
  {
    partition: 1,
    key: Buffer.from("headers"),
    value: Buffer.from("x"),
    headers: { huge: hugeHeader, empty: Buffer.from(""), twice: [Buffer.from("a"), Buffer.from("b")] },
  },
];
const compactedRecords: Message[] = [
  { key: Buffer.from("a"), value: Buffer.from("1") },
  { key: Buffer.from("a"), value: null }, // tombstone
  { key: Buffer.from("b"), value: Buffer.from("2") },
];

async function produce(topic: string, messages: Message[]): Promise<void> {
  const producer = kafkaFor(eastBootstrap).producer();
  await producer.connect();
  try {
    // One request each: the 1.5 MB record must not share a batch with the others.
    for (const m of messages) await producer.send({ topic, acks: -1, messages: [m] });
  } finally {
    await producer.disconnect();
  }
}

function bytes(b: Buffer | string | null | undefined): string | null {
  return b === null || b === undefined ? null : Buffer.from(b).toString("base64");
}

/** A record as produced or read, compared by its bytes (null stays null, empty stays empty). */
function shape(r: Pick<ReadRecord, "key" | "value" | "headers"> | Message) {
  const headers: Record<string, (string | null)[]> = {};
  for (const [name, value] of Object.entries(r.headers ?? {})) {
    headers[name] = (Array.isArray(value) ? value : [value]).map((v) => bytes(v as Buffer));
  }
  return { key: bytes(r.key as Buffer | null), value: bytes(r.value as Buffer | null), headers };
}

describe("FlowRunner with odd but legal records", () => {
  it("copies null keys and values, tombstones of a compacted topic, empty and 200 KB headers, and a 1.5 MB value as they are", async () => {
    const prefix = uniqueName("odd");
    const odd = `${prefix}-mixed`;
    const compacted = `${prefix}-compacted`;
    for (const t of [odd, compacted]) {
      topicsToDelete.push(
        { bootstrap: eastBootstrap, topic: t },
        { bootstrap: westBootstrap, topic: `east.${t}` },
      );
    }
    await createTopic(eastBootstrap, odd, 2, { "max.message.bytes": "3000000" });
    await createTopic(eastBootstrap, compacted, 1, { "cleanup.policy": "compact" });
    await produce(odd, oddRecords);
    await produce(compacted, compactedRecords);

    const flowId = await createFlowRow(fixture, {
      name: uniqueName("flow"),
      topicsInclude: `${escapeRegex(prefix)}-.*`,
    });
    const runner = new FlowRunner(testFlowSpec(flowId, `${escapeRegex(prefix)}-.*`), {
      positions: new PgPositionStore(fixture.db),
      owner: "odd-worker",
    });
    await runner.start();
    try {
      await waitFor(
        async () =>
          (await topicEndOffsets(westBootstrap, `east.${odd}`)).reduce((a, b) => a + b, 0) >=
            oddRecords.length &&
          (await topicEndOffsets(westBootstrap, `east.${compacted}`)).reduce((a, b) => a + b, 0) >=
            compactedRecords.length,
        60_000,
        "every odd record on west",
      );
    } finally {
      await runner.stop();
    }

    // Compared with what was produced (not only with the source as read back): byte for byte,
    // partition for partition, in order, with nulls, empties and repeated headers kept.
    const target = await readAll(westBootstrap, `east.${odd}`, oddRecords.length);
    for (const partition of [0, 1]) {
      expect(target.filter((r) => r.partition === partition).map(shape)).toEqual(
        oddRecords.filter((r) => r.partition === partition).map(shape),
      );
    }
    expect(target.find((r) => r.key?.toString() === "big")?.value?.equals(big)).toBe(true);
    const remoteCompacted = await readAll(westBootstrap, `east.${compacted}`, compactedRecords.length);
    expect(remoteCompacted.map(shape)).toEqual(compactedRecords.map(shape));
    expect(remoteCompacted[1]?.value).toBeNull();
  }, 120_000);

  it("a record larger than the remote topic takes: that partition says so in words, the other topics keep copying", async () => {
    const prefix = uniqueName("too-big");
    const bigTopic = `${prefix}-big`;
    const smallTopic = `${prefix}-small`;
    for (const t of [bigTopic, smallTopic]) {
      topicsToDelete.push(
        { bootstrap: eastBootstrap, topic: t },
        { bootstrap: westBootstrap, topic: `east.${t}` },
      );
    }
    await createTopic(eastBootstrap, bigTopic, 1, { "max.message.bytes": "3000000" });
    await createTopic(eastBootstrap, smallTopic, 1);
    // The remote topic exists with the broker's default limit, and config sync is off: it stays.
    await createTopic(westBootstrap, `east.${bigTopic}`, 1, { "max.message.bytes": "1048588" });
    await produce(bigTopic, [
      { key: Buffer.from("before"), value: Buffer.from("small") },
      { key: Buffer.from("big"), value: big },
      { key: Buffer.from("after"), value: Buffer.from("small") },
    ]);
    await produce(
      smallTopic,
      Array.from({ length: 20 }, (_, i) => ({ key: Buffer.from(`k${i}`), value: Buffer.from(`v${i}`) })),
    );

    const flowId = await createFlowRow(fixture, {
      name: uniqueName("flow"),
      topicsInclude: `${escapeRegex(prefix)}-.*`,
    });
    const latest = new Map<string, PartitionMetrics>();
    const runner = new FlowRunner(
      testFlowSpec(flowId, `${escapeRegex(prefix)}-.*`, { syncTopicConfigs: false }),
      {
        positions: new PgPositionStore(fixture.db),
        owner: "too-big-worker",
        onMetrics: (snapshot) => {
          for (const p of snapshot.partitions) latest.set(p.topic, p);
        },
      },
    );
    await runner.start();
    try {
      await waitFor(
        async () => latest.get(bigTopic)?.state === "error",
        60_000,
        "the big topic's partition in error",
      );
      // The other topic is not held up: what is written to it now arrives too.
      await produce(
        smallTopic,
        Array.from({ length: 20 }, (_, i) => ({ key: Buffer.from(`k${i}`), value: Buffer.from(`w${i}`) })),
      );
      await waitFor(
        async () => (await topicEndOffsets(westBootstrap, `east.${smallTopic}`))[0] === 40,
        60_000,
        "every record of the small topic on west",
      );
      expect(latest.get(bigTopic)?.error).toMatch(
        /west rejected a record as too large .*raise max\.message\.bytes/,
      );
      expect(latest.get(smallTopic)?.state).not.toBe("error");
    } finally {
      await runner.stop();
    }
    // Nothing past the refused record was written: order is kept, and it is retried when fixed.
    expect(await topicEndOffsets(westBootstrap, `east.${bigTopic}`)).toEqual([1]);
    const copied = await readAll(westBootstrap, `east.${bigTopic}`, 1);
    expect(copied.map((r) => r.key?.toString())).toEqual(["before"]);
  }, 150_000);
});
