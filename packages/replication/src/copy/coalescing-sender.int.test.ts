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

const created: string[] = [topic];

async function total(name: string): Promise<number> {
  return (await admin.partitionOffsets(name)).reduce((n, o) => n + o.high, 0);
}

afterAll(async () => {
  await producer.disconnect();
  for (const name of created) await admin.deleteTopic(name).catch(() => {});
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

  it("fails only the refused chunk of a shared request, and writes the others exactly once", async () => {
    const healthy = `${topic}-healthy`;
    const small = `${topic}-small`; // refuses records over 1,000 bytes
    await admin.createTopic({ name: healthy, partitions: 1, replicationFactor: 1, configs: {} });
    await admin.createTopic({
      name: small,
      partitions: 1,
      replicationFactor: 1,
      configs: { "max.message.bytes": "1000" },
    });
    created.push(healthy, small);
    const produceRequests: number[] = [];
    producer.on(producer.events.REQUEST, (e) => {
      if (e.payload.apiName === "Produce") produceRequests.push(e.payload.size);
    });
    const sender = new CoalescingSender(() => producer);
    const lone = sender.send(topic, 1, chunk(1, 1), 10);
    // Both wait behind the lone chunk and go in one request: the broker appends the healthy chunk
    // and refuses the other, kafkajs fails the whole request.
    const good = sender.send(healthy, 0, chunk(0, 4), 100);
    const tooLarge = sender.send(small, 0, [{ partition: 0, value: "x".repeat(5_000) }], 5_000);
    await lone;
    await expect(tooLarge).rejects.toThrow(/larger than|too large/i);
    expect(await good).toBe(0);
    expect(produceRequests.length).toBeGreaterThanOrEqual(3); // lone, shared, then one by one
    // Sent again on its own with the same sequence, the healthy chunk was not appended twice.
    expect(await total(healthy)).toBe(4);
    expect((await readAll(eastBootstrap, healthy, 4)).map((r) => String(r.value))).toEqual(
      chunk(0, 4).map((m) => m.value),
    );
    // The refused partition is sent apart from now on; the others still share requests.
    const again = sender.send(small, 0, [{ partition: 0, value: "y".repeat(5_000) }], 5_000);
    await expect(again).rejects.toThrow(/larger than|too large/i);
    expect(await sender.send(healthy, 0, chunk(0, 2), 100)).toBe(4);
  });

  it("fails every chunk of a request the target refused, and keeps sending afterwards", async () => {
    const sender = new CoalescingSender(() => producer);
    const refused = sender.send(`it-coalesce-absent-${randomUUID().slice(0, 8)}`, 0, chunk(0, 1), 10);
    await expect(refused).rejects.toThrow();
    expect(await sender.send(topic, 3, chunk(3, 1), 10)).toBe(6);
  });
});
