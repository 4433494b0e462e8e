import { OffsetSyncStore, retainedOffsetSyncHistory } from "@mirrordeck/mm2";
import { describe, expect, it } from "vitest";
import {
  checkpointKey,
  type OffsetsByPartition,
  planCheckpoints,
  type WrittenCheckpoint,
} from "./checkpoint-planner.ts";

const remoteTopic = (t: string) => `east.${t}`;

function store(syncs: Array<[string, number, number, number]>, readToEnd = true): OffsetSyncStore {
  const s = new OffsetSyncStore({ createHistory: retainedOffsetSyncHistory() });
  for (const [topic, partition, upstreamOffset, downstreamOffset] of syncs) {
    s.handleOffsetSync({ topic, partition, upstreamOffset, downstreamOffset });
  }
  if (readToEnd) s.markReadToEnd();
  return s;
}

function offsets(entries: Array<[string, number, number, number]>): OffsetsByPartition {
  const result: OffsetsByPartition = new Map();
  for (const [topic, partition, low, high] of entries) {
    const byPartition = result.get(topic) ?? new Map();
    byPartition.set(partition, { partition, low, high });
    result.set(topic, byPartition);
  }
  return result;
}

function plan(
  commits: Array<[string, number, number]>,
  syncs: OffsetSyncStore,
  written: Map<string, WrittenCheckpoint> = new Map(),
  source = offsets([
    ["orders", 0, 0, 1_000],
    ["orders", 1, 0, 0],
    ["idle", 0, 0, 0],
  ]),
  target = offsets([
    ["east.orders", 0, 0, 990],
    ["east.orders", 1, 0, 0],
    ["east.idle", 0, 0, 0],
  ]),
) {
  return planCheckpoints({
    group: "billing",
    commits: commits.map(([topic, partition, offset]) => ({ topic, partition, offset, metadata: "m" })),
    store: syncs,
    remoteTopic,
    sourceOffsets: source,
    targetOffsets: target,
    written,
  });
}

describe("planCheckpoints", () => {
  it("translates by MM2's rule and writes the remote topic name, metadata kept", () => {
    const result = plan([["orders", 0, 150]], store([["orders", 0, 100, 90]]));
    expect(result.checkpoints).toEqual([
      {
        consumerGroupId: "billing",
        topic: "east.orders",
        partition: 0,
        upstreamOffset: 150,
        downstreamOffset: 91,
        metadata: "m",
      },
    ]);
    expect(result.partitions[0]).toMatchObject({
      sourceCommitted: 150,
      translated: 91,
      sourceLag: 850,
      targetLag: 899,
      note: null,
    });
  });

  it("writes nothing before the offset-syncs topic was read to its end", () => {
    const result = plan([["orders", 0, 150]], store([["orders", 0, 100, 90]], false));
    expect(result.checkpoints).toEqual([]);
    expect(result.partitions[0]?.note).toMatch(/read to its end/);
  });

  it("translates a never-written partition of a replicating topic to the remote log start", () => {
    const result = plan(
      [
        ["orders", 0, 150],
        ["orders", 1, 0],
      ],
      store([["orders", 0, 100, 90]]),
    );
    expect(result.checkpoints.map((c) => [c.partition, c.downstreamOffset])).toEqual([
      [0, 91],
      [1, 0],
    ]);
  });

  it("writes no checkpoint for a topic nothing was replicated from", () => {
    const result = plan([["idle", 0, 0]], store([["orders", 0, 100, 90]]));
    expect(result.checkpoints).toEqual([]);
    expect(result.partitions[0]).toMatchObject({
      translated: null,
      note: expect.stringMatching(/no record/),
    });
  });

  it("repeats nothing, never moves a checkpoint back, and follows a source group that rewound", () => {
    const syncs = store([
      ["orders", 0, 100, 90],
      ["orders", 0, 200, 190],
    ]);
    const written = new Map([
      [checkpointKey("billing", "east.orders", 0), { upstreamOffset: 250, downstreamOffset: 191, at: 1 }],
    ]);
    expect(plan([["orders", 0, 250]], syncs, written).checkpoints).toEqual([]);
    expect(plan([["orders", 0, 260]], syncs, written).checkpoints).toEqual([]); // still 191: repeated
    // The group went back on the source: the checkpoint follows it back.
    const rewound = plan([["orders", 0, 120]], syncs, written);
    expect(rewound.checkpoints.map((c) => [c.upstreamOffset, c.downstreamOffset])).toEqual([[120, 91]]);
    // A previous leader wrote further ahead than this history translates: never moved back.
    const ahead = new Map([
      [checkpointKey("billing", "east.orders", 0), { upstreamOffset: 150, downstreamOffset: 195, at: 1 }],
    ]);
    const refused = plan([["orders", 0, 160]], syncs, ahead);
    expect(refused.checkpoints).toEqual([]);
    expect(refused.partitions[0]?.translated).toBe(195);
  });

  it("never checkpoints past the remote partition's end, and lets a voided checkpoint rewind", () => {
    const syncs = store([["orders", 0, 100, 900]]);
    // The remote topic was re-created: it holds 10 records, the old syncs point at 900.
    const small = offsets([["east.orders", 0, 0, 10]]);
    const written = new Map([
      [checkpointKey("billing", "east.orders", 0), { upstreamOffset: 150, downstreamOffset: 901, at: 1 }],
    ]);
    const past = plan([["orders", 0, 150]], syncs, written, undefined, small);
    expect(past.checkpoints).toEqual([]);
    expect(past.partitions[0]).toMatchObject({
      translated: null,
      note: expect.stringMatching(/past the end/),
    });
    // Replication starts over on the new topic: the new, lower translation replaces the void one.
    syncs.handleOffsetSync({ topic: "orders", partition: 0, upstreamOffset: 140, downstreamOffset: 5 });
    const again = plan([["orders", 0, 150]], syncs, written, undefined, small);
    expect(again.checkpoints.map((c) => c.downstreamOffset)).toEqual([6]);
  });
});
