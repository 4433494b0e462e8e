import { describe, expect, it } from "vitest";
import { assignEosTasks, eosTaskOf, eosTransactionalId } from "./eos-tasks.ts";

describe("exactly-once tasks", () => {
  it("puts a partition in the same task every time, spread over all tasks", () => {
    expect(eosTaskOf("orders", 3, 4)).toBe(eosTaskOf("orders", 3, 4));
    expect(eosTaskOf("orders", 3, 1)).toBe(0);
    const seen = new Set<number>();
    for (let p = 0; p < 8; p++) seen.add(eosTaskOf("orders", p, 4));
    expect([...seen].sort()).toEqual([0, 1, 2, 3]); // consecutive partitions of a topic rotate
  });

  it("names the transactional id after the flow and the task, not the worker", () => {
    expect(eosTransactionalId("f1", 2)).toBe("__mirrordeck.f1.task-2");
  });

  it("gives every task to exactly one member, whole, whatever the group's size", () => {
    expect(assignEosTasks(["b", "a"], 4)).toEqual(
      new Map([
        ["a", [0, 2]],
        ["b", [1, 3]],
      ]),
    );
    expect(assignEosTasks(["c", "b", "a"], 1)).toEqual(new Map([["a", [0]]]));
    expect(assignEosTasks([], 3)).toEqual(new Map());
    // A member beyond tasksMax gets nothing; one member takes every task.
    expect(assignEosTasks(["x"], 3)).toEqual(new Map([["x", [0, 1, 2]]]));
  });
});
