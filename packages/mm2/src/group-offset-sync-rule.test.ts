import { describe, expect, it } from "vitest";
import type { Checkpoint } from "./checkpoint.ts";
import { planGroupOffsetSync, type TargetGroupState } from "./group-offset-sync-rule.ts";

const checkpoint = (partition: number, downstreamOffset: number): Checkpoint => ({
  consumerGroupId: "g",
  topic: "A.orders",
  partition,
  upstreamOffset: downstreamOffset,
  downstreamOffset,
  metadata: "",
});

const committed: Record<number, number> = { 0: 50, 1: 70 };
const target = (state: TargetGroupState) => ({
  state,
  committedOffset: (topic: string, partition: number) =>
    topic === "A.orders" ? committed[partition] : undefined,
});

describe("planGroupOffsetSync", () => {
  const checkpoints = [checkpoint(0, 60), checkpoint(1, 65), checkpoint(2, 10)];

  it("writes every translated offset into a group the target does not know", () => {
    expect(planGroupOffsetSync(target("absent"), checkpoints)).toEqual(checkpoints);
  });

  it("only moves offsets forward, or adds new partitions, in an empty group", () => {
    expect(planGroupOffsetSync(target("empty"), checkpoints)).toEqual([checkpoint(0, 60), checkpoint(2, 10)]);
    expect(planGroupOffsetSync(target("empty"), [checkpoint(0, 50)])).toEqual([]);
  });

  it("never touches a group with active members", () => {
    expect(planGroupOffsetSync(target("active"), checkpoints)).toEqual([]);
  });
});
