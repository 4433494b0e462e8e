// The premise of exactly-once mode (ADR 0015), against a real broker: a task's transactional
// producer commits records and positions together; a second holder of the same task fences the
// first (its open transaction is aborted, its commit refused); a read_committed reader sees only
// committed records and positions, and reads the positions topic to its end at once even when it
// ends in the fenced writer's aborted transaction. Records go through MirrorDeck's own produce
// encoder, as the flow runner sends them.
import { createKafka } from "@mirrordeck/kafka";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deleteTopics, eastBootstrap, uniqueName } from "../../../../scripts/test-support/kafka-records.ts";
import { installFastProduceRequest } from "../kafkajs/fast-produce-request.ts";
import { createKafkajsClusterAdmin } from "../kafkajs/kafkajs-cluster-admin.ts";
import { readTopicToEnd } from "../kafkajs/read-topic-to-end.ts";
import { ensureInternalTopic } from "../topics/internal-topic.ts";
import { positionKey, readFlowPositions } from "./position-log.ts";
import { positionsTopic } from "./position-records.ts";
import { isFencedError, TaskTransaction } from "./task-transaction.ts";

const target = { alias: "east", bootstrapServers: eastBootstrap };
const sourceAlias = uniqueName("eos-src");
const topic = uniqueName("eos-remote");
const flowId = uniqueName("flow");
const holders: TaskTransaction[] = [];

function records(from: number, n: number) {
  return Array.from({ length: n }, (_, i) => ({ key: `k${from + i}`, value: `v${from + i}`, partition: 0 }));
}

beforeAll(async () => {
  installFastProduceRequest();
  const admin = createKafkajsClusterAdmin(target);
  try {
    await admin.createTopic({ name: topic, partitions: 1, replicationFactor: 1, configs: {} });
    await ensureInternalTopic(target, admin, positionsTopic(sourceAlias));
  } finally {
    await admin.close();
  }
});

afterAll(async () => {
  for (const h of holders) await h.close();
  await deleteTopics(eastBootstrap, [topic, positionsTopic(sourceAlias)]);
});

/** The remote topic as a read_committed consumer sees it, to its last stable offset. */
async function committedValues(): Promise<string[]> {
  const values: string[] = [];
  await readTopicToEnd(createKafka(target), topic, (record) => values.push(String(record.value)), {
    timeoutMs: 20_000,
  });
  return values;
}

describe("exactly-once task transactions", () => {
  it("commits records with positions; a new holder fences the old one, whose work is never seen", async () => {
    const first = new TaskTransaction(target, sourceAlias, flowId, 0);
    holders.push(first);
    await first.open();
    await first.current.send({ topic, acks: -1, messages: records(0, 10) });
    await first.commit([{ topic: "orders", partition: 0, nextOffset: 10 }]);
    // Another flow's positions share the topic and are not this flow's.
    const other = new TaskTransaction(target, sourceAlias, `${flowId}-other`, 0);
    holders.push(other);
    await other.open();
    await other.commit([{ topic: "orders", partition: 0, nextOffset: 999 }]);

    // The first holder goes on in an open transaction, then a new holder of the task opens it.
    await first.current.send({ topic, acks: -1, messages: records(10, 5) });
    await first.current.sendBatch({
      acks: -1,
      topicMessages: [{ topic: positionsTopic(sourceAlias), messages: [{ key: "k", value: "v" }] }],
    });
    const second = new TaskTransaction(target, sourceAlias, flowId, 0);
    holders.push(second);
    await second.open();

    const commitError = await first.commit([{ topic: "orders", partition: 0, nextOffset: 15 }]).then(
      () => null,
      (error: unknown) => error,
    );
    console.log(`fenced holder's commit: ${String(commitError)}`);
    expect(commitError).not.toBeNull();
    expect(isFencedError(commitError)).toBe(true);

    const started = Date.now();
    const positions = await readFlowPositions(target, sourceAlias, flowId, 20_000);
    const readMs = Date.now() - started;
    console.log(`positions read in ${readMs} ms: ${JSON.stringify([...positions])}`);
    expect(positions).toEqual(new Map([[positionKey("orders", 0), 10]]));
    expect(await committedValues()).toEqual(records(0, 10).map((r) => r.value));

    // The new holder resumes from the committed position: nothing twice, nothing lost.
    await second.current.send({ topic, acks: -1, messages: records(10, 5) });
    await second.commit([{ topic: "orders", partition: 0, nextOffset: 15 }]);
    expect(await readFlowPositions(target, sourceAlias, flowId, 20_000)).toEqual(
      new Map([[positionKey("orders", 0), 15]]),
    );
    expect(await committedValues()).toEqual(records(0, 15).map((r) => r.value));
  }, 120_000);

  it("an abort drops what was sent since the last commit; the next transaction goes on", async () => {
    const holder = new TaskTransaction(target, sourceAlias, `${flowId}-abort`, 1);
    holders.push(holder);
    await holder.open();
    await holder.current.send({ topic, acks: -1, messages: [{ key: "x", value: "aborted", partition: 0 }] });
    await holder.abort();
    await holder.commit([{ topic: "orders", partition: 1, nextOffset: 3 }]);
    expect(await committedValues()).not.toContain("aborted");
    expect(await readFlowPositions(target, sourceAlias, `${flowId}-abort`, 20_000)).toEqual(
      new Map([[positionKey("orders", 1), 3]]),
    );
  }, 60_000);
});
