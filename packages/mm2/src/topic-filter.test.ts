import { describe, expect, it } from "vitest";
import { DefaultTopicFilter } from "./topic-filter.ts";

describe("DefaultTopicFilter", () => {
  it("replicates every topic except MM2's default exclusions", () => {
    const filter = new DefaultTopicFilter();
    for (const topic of ["topic1", "orders", "heartbeats", "A.orders"]) {
      expect(filter.shouldReplicateTopic(topic)).toBe(true);
    }
    for (const topic of [
      "mm2-offset-syncs.B.internal",
      "A.checkpoints.internal",
      "connect-offsets-internal",
      "orders.replica",
      "__consumer_offsets",
    ]) {
      expect(filter.shouldReplicateTopic(topic)).toBe(false);
    }
  });

  it("lets exclusions win over inclusions", () => {
    const filter = new DefaultTopicFilter({ topics: "orders.*", topicsExclude: "orders-test" });
    expect(filter.shouldReplicateTopic("orders-eu")).toBe(true);
    expect(filter.shouldReplicateTopic("orders-test")).toBe(false);
    expect(filter.shouldReplicateTopic("payments")).toBe(false);
  });

  it("replicates nothing when topics is blank, and excludes nothing when topics.exclude is blank", () => {
    expect(new DefaultTopicFilter({ topics: "" }).shouldReplicateTopic("orders")).toBe(false);
    expect(new DefaultTopicFilter({ topicsExclude: "" }).shouldReplicateTopic("__consumer_offsets")).toBe(
      true,
    );
  });

  it("accepts already-split entries", () => {
    const filter = new DefaultTopicFilter({ topics: ["a", "b.*"], topicsExclude: [] });
    expect(filter.shouldReplicateTopic("bx")).toBe(true);
    expect(filter.shouldReplicateTopic("c")).toBe(false);
  });
});
