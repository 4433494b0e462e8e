import { describe, expect, it } from "vitest";
import { previewSelection } from "./flow-preview.ts";

const flow = {
  sourceAlias: "east",
  targetAlias: "west",
  topicsInclude: "orders.*, payments",
  topicsExclude: ".*-test, .*[\\-\\.]internal, __.*",
  groupsInclude: "billing-.*",
  groupsExclude: "billing-adhoc",
  replicationPolicy: "DEFAULT" as const,
  separator: ".",
};

const topic = (name: string, partitions = 3) => ({ name, partitions, internal: false });

describe("previewSelection", () => {
  it("says for every topic whether it is copied, and why not, with MM2's rules", () => {
    const preview = previewSelection(
      flow,
      [
        topic("orders"),
        topic("orders-test"),
        topic("payments", 2),
        topic("audit"),
        topic("heartbeats", 1),
        topic("west.orders"),
        topic("mm2-offset-syncs.west.internal", 1),
      ],
      [],
    );
    const verdicts = Object.fromEntries(preview.topics.map((t) => [t.name, [t.verdict, t.remoteName]]));
    expect(verdicts).toEqual({
      orders: ["replicated", "east.orders"],
      "orders-test": ["excluded", null],
      payments: ["replicated", "east.payments"],
      audit: ["not-included", null],
      // MM2 replicates heartbeats whatever the filter says.
      heartbeats: ["replicated", "east.heartbeats"],
      // Came from the target: copying it back would loop.
      "west.orders": ["cycle", null],
      "mm2-offset-syncs.west.internal": ["internal", null],
    });
    expect(preview.summary).toEqual({ topicsSelected: 3, partitionsSelected: 6, groupsSelected: 0 });
  });

  it("names remote topics under the identity policy and a custom separator", () => {
    const identity = previewSelection({ ...flow, replicationPolicy: "IDENTITY" }, [topic("orders")], []);
    expect(identity.topics[0]?.remoteName).toBe("orders");
    const underscore = previewSelection({ ...flow, separator: "_" }, [topic("orders")], []);
    expect(underscore.topics[0]?.remoteName).toBe("east_orders");
  });

  it("selects consumer groups by include and exclude, exclude winning", () => {
    const preview = previewSelection(
      flow,
      [],
      [
        { groupId: "billing-service", protocolType: "consumer", state: "Stable", members: 1 },
        { groupId: "billing-adhoc", protocolType: "consumer", state: "Empty", members: 0 },
        { groupId: "search", protocolType: "consumer", state: "Empty", members: 0 },
      ],
    );
    expect(preview.groups.map((g) => [g.groupId, g.selected])).toEqual([
      ["billing-service", true],
      ["billing-adhoc", false],
      ["search", false],
    ]);
  });
});
