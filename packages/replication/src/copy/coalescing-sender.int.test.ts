import { randomUUID } from "node:crypto";
import { createKafka } from "@mirrordeck/kafka";
import type { Message } from "kafkajs";
import { afterAll, describe, expect, it } from "vitest";
import { eastBootstrap, readAll } from "../../../../scripts/test-support/kafka-records.ts";
import { createKafkajsClusterAdmin } from "../kafkajs/kafkajs-cluster-admin.ts";
import { CoalescingSender } from "./coalescing-sender.ts";

const east = { alias: "east", bootstrapServers: eastBootstrap };
const admin = createKafkajsClusterAdmin(east);
const topic = `it-coalesce-${randomUUID().slice(0, 8)}`;
const producer = createKafka(east).producer({ idempotent: true, maxInFlightRequests: 1 });

afterAll(async () => {
  await producer.disconnect();
  await admin.deleteTopic(topic).catch(() => {});
  await admin.close();
});

function chunk(partition: number, n: number): Message[] {
  return Array.from({ length: n }, (_, i) => ({
    partition,
    key: `k${partition}-${i}`,
    value: `v${partition}-${i}`,
  }));
}

describe("CoalescingSender", () => {
  it("sends a lone chunk at once and the chunks that wait behind it together, each told its offset", async () => {
    await admin.createTopic({ name: topic, partitions: 4, replicationFactor: 1, configs: {} });
    await producer.connect();
    const produceRequests: number[] = [];
    producer.on(producer.events.REQUEST, (e) => {
      if (e.payload.apiName === "Produce") produceRequests.push(e.payload.size);
    });
    const sender = new CoalescingSender(() => producer);
    // p0 goes alone; p1–p3 arrive while it is in flight and share the next request.
    const first = sender.send(topic, 0, chunk(0, 5), 100);
    const rest = [1, 2, 3].map((p) => sender.send(topic, p, chunk(p, 3 + p), 100));
    expect(await Promise.all([first, ...rest])).toEqual([0, 0, 0, 0]);
    expect(produceRequests).toHaveLength(2);
    // The next chunk of a partition continues its offsets.
    expect(await sender.send(topic, 2, chunk(2, 2), 100)).toBe(5);

    const records = await readAll(eastBootstrap, topic, 5 + 4 + 7 + 6);
    const byPartition = new Map<number, string[]>();
    for (const r of records.sort((a, b) => a.offset - b.offset)) {
      byPartition.set(r.partition, [...(byPartition.get(r.partition) ?? []), String(r.value)]);
    }
    expect(byPartition.get(0)).toEqual(chunk(0, 5).map((m) => m.value));
    expect(byPartition.get(1)).toEqual(chunk(1, 4).map((m) => m.value));
    expect(byPartition.get(2)).toEqual([...chunk(2, 5), ...chunk(2, 2)].map((m) => m.value));
    expect(byPartition.get(3)).toEqual(chunk(3, 6).map((m) => m.value));
  });

  it("fails every chunk of a request the target refused, and keeps sending afterwards", async () => {
    const sender = new CoalescingSender(() => producer);
    const refused = sender.send(`it-coalesce-absent-${randomUUID().slice(0, 8)}`, 0, chunk(0, 1), 10);
    await expect(refused).rejects.toThrow();
    expect(await sender.send(topic, 3, chunk(3, 1), 10)).toBe(6);
  });
});
