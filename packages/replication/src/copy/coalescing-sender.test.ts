import { createRequire } from "node:module";
import type { Message } from "kafkajs";
import { describe, expect, it } from "vitest";
import { PartitionedMessages } from "./coalescing-sender.ts";

const require = createRequire(import.meta.url);
const groupMessagesPerPartition = require("kafkajs/src/producer/groupMessagesPerPartition.js") as (args: {
  topic: string;
  partitionMetadata: { partitionId: number }[];
  messages: Message[];
  partitioner: (args: { message: Message }) => number;
}) => Record<number, Message[]>;
const { Partitioners } = require("kafkajs") as {
  Partitioners: { DefaultPartitioner: () => (args: unknown) => number };
};

describe("PartitionedMessages", () => {
  it("groups per partition as kafkajs does, in order, without its quadratic copies", () => {
    const messages = new PartitionedMessages();
    for (let i = 0; i < 2_000; i++) messages.push({ partition: (i * 7) % 5, value: `v${i}` });
    const args = {
      topic: "t",
      partitionMetadata: [0, 1, 2, 3, 4].map((partitionId) => ({ partitionId, leader: 0 })),
      partitioner: (a: { message: Message }) => {
        partitionerCalls++;
        return partitioner(a);
      },
    };
    const partitioner = Partitioners.DefaultPartitioner();
    let partitionerCalls = 0;
    const ours = groupMessagesPerPartition({ ...args, messages });
    expect(partitionerCalls).toBe(0); // grouped in one pass, kafkajs's per-message step skipped
    const theirs = groupMessagesPerPartition({ ...args, messages: [...messages] });
    expect(partitionerCalls).toBe(2_000);
    expect(Object.keys(ours)).toEqual(Object.keys(theirs));
    for (const p of Object.keys(theirs)) expect(ours[Number(p)]).toEqual(theirs[Number(p)]);
  });

  it("reduces as any array when a message has no partition or the call is not kafkajs's", () => {
    const messages = new PartitionedMessages();
    messages.push({ partition: 1, value: "a" }, { value: "b" });
    expect(messages.reduce((n: number) => n + 1, 0)).toBe(2);
    const seen = messages.reduce((acc: string[], m: Message) => {
      acc.push(String(m.value));
      return acc;
    }, []);
    expect(seen).toEqual(["a", "b"]);
  });
});
