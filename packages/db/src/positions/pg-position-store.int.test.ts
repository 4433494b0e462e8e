import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createFlowRow,
  type FlowFixture,
  migratedDatabaseWithClusters,
} from "../../../../scripts/test-support/flow-fixtures.ts";
import type { Database } from "../client.ts";
import { PgPositionStore } from "./pg-position-store.ts";

let fixture: FlowFixture;
let db: Database;
let store: PgPositionStore;

beforeAll(async () => {
  fixture = await migratedDatabaseWithClusters();
  db = fixture.db;
  store = new PgPositionStore(db);
});

afterAll(async () => {
  await fixture?.cleanup();
});

function newFlow(name: string): Promise<string> {
  return createFlowRow(fixture, { name, topicsInclude: ".*" });
}

describe("PgPositionStore", () => {
  it("fences the commits of a worker whose partitions were claimed by another", async () => {
    const flowId = await newFlow("fencing");
    const orders = [
      { topic: "orders", partition: 0 },
      { topic: "orders", partition: 1 },
    ];

    expect(await store.claim(flowId, "worker-a", orders)).toEqual([
      { topic: "orders", partition: 0, nextOffset: null, epoch: 1, lastCopied: null },
      { topic: "orders", partition: 1, nextOffset: null, epoch: 1, lastCopied: null },
    ]);
    expect(
      await store.commit(flowId, [
        { topic: "orders", partition: 0, nextOffset: 10, epoch: 1, lastCopied: null },
        { topic: "orders", partition: 1, nextOffset: 20, epoch: 1, lastCopied: null },
      ]),
    ).toEqual([]);
    expect(await store.read(flowId)).toEqual([
      { topic: "orders", partition: 0, nextOffset: 10, owner: "worker-a" },
      { topic: "orders", partition: 1, nextOffset: 20, owner: "worker-a" },
    ]);

    // B takes partition 0 over: it resumes where A committed, with a newer epoch.
    expect(await store.claim(flowId, "worker-b", [{ topic: "orders", partition: 0 }])).toEqual([
      { topic: "orders", partition: 0, nextOffset: 10, epoch: 2, lastCopied: null },
    ]);

    // A's late commit of partition 0 is fenced and changes nothing; partition 1 is still A's.
    expect(
      await store.commit(flowId, [
        { topic: "orders", partition: 0, nextOffset: 99, epoch: 1, lastCopied: null },
        { topic: "orders", partition: 1, nextOffset: 25, epoch: 1, lastCopied: null },
      ]),
    ).toEqual([{ topic: "orders", partition: 0 }]);
    expect(await store.read(flowId)).toEqual([
      { topic: "orders", partition: 0, nextOffset: 10, owner: "worker-b" },
      { topic: "orders", partition: 1, nextOffset: 25, owner: "worker-a" },
    ]);

    // B's commits go through, including a rewind (the owner may move its position either way).
    expect(
      await store.commit(flowId, [
        { topic: "orders", partition: 0, nextOffset: 15, epoch: 2, lastCopied: null },
      ]),
    ).toEqual([]);
    expect(
      await store.commit(flowId, [
        { topic: "orders", partition: 0, nextOffset: 3, epoch: 2, lastCopied: null },
      ]),
    ).toEqual([]);
    expect(await store.read(flowId)).toEqual([
      { topic: "orders", partition: 0, nextOffset: 3, owner: "worker-b" },
      { topic: "orders", partition: 1, nextOffset: 25, owner: "worker-a" },
    ]);

    // The last copied record's mark goes with the position and comes back to the next claimer.
    expect(
      await store.commit(flowId, [
        { topic: "orders", partition: 0, nextOffset: 4, epoch: 2, lastCopied: { offset: 3, digest: "d3" } },
      ]),
    ).toEqual([]);
    expect(await store.claim(flowId, "worker-c", [{ topic: "orders", partition: 0 }])).toEqual([
      { topic: "orders", partition: 0, nextOffset: 4, epoch: 3, lastCopied: { offset: 3, digest: "d3" } },
    ]);
    // A commit without one clears it (the position was reset: the old record proves nothing).
    await store.commit(flowId, [{ topic: "orders", partition: 0, nextOffset: 0, epoch: 3 }]);
    expect(
      (await store.claim(flowId, "worker-c", [{ topic: "orders", partition: 0 }]))[0]?.lastCopied,
    ).toBeNull();

    // An epoch from the future is as wrong as one from the past.
    expect(await store.commit(flowId, [{ topic: "orders", partition: 0, nextOffset: 50, epoch: 5 }])).toEqual(
      [{ topic: "orders", partition: 0 }],
    );
  });

  it("treats a commit to a partition nobody claimed as fenced", async () => {
    const flowId = await newFlow("unclaimed");
    expect(await store.commit(flowId, [{ topic: "t", partition: 0, nextOffset: 5, epoch: 1 }])).toEqual([
      { topic: "t", partition: 0 },
    ]);
    expect(await store.read(flowId)).toEqual([]);
  });

  it("keeps flows apart: the same partition of another flow has its own epoch and position", async () => {
    const first = await newFlow("apart-1");
    const second = await newFlow("apart-2");
    const p = [{ topic: "shared", partition: 0 }];
    await store.claim(first, "w1", p);
    await store.claim(first, "w1", p);
    await store.commit(first, [{ topic: "shared", partition: 0, nextOffset: 7, epoch: 2, lastCopied: null }]);

    expect(await store.claim(second, "w2", p)).toEqual([
      { topic: "shared", partition: 0, nextOffset: null, epoch: 1, lastCopied: null },
    ]);
    // Epoch 1 is current in the second flow only; it must not touch the first.
    expect(
      await store.commit(second, [
        { topic: "shared", partition: 0, nextOffset: 1, epoch: 1, lastCopied: null },
      ]),
    ).toEqual([]);
    expect(await store.read(first)).toEqual([{ topic: "shared", partition: 0, nextOffset: 7, owner: "w1" }]);
    expect(await store.read(second)).toEqual([{ topic: "shared", partition: 0, nextOffset: 1, owner: "w2" }]);
  });

  it("claims and commits 1,000 partitions in one statement each", async () => {
    const flowId = await newFlow("wide");
    const partitions = Array.from({ length: 1000 }, (_, i) => ({ topic: `t${i % 4}`, partition: i }));

    let started = performance.now();
    const claimed = await store.claim(flowId, "worker-a", partitions);
    const claimMs = performance.now() - started;
    expect(claimed).toHaveLength(1000);
    expect(claimed.every((c, i) => c.epoch === 1 && c.nextOffset === null && c.partition === i)).toBe(true);

    const commits = claimed.map((c) => ({ ...c, nextOffset: c.partition * 1_000 + 1 }));
    started = performance.now();
    expect(await store.commit(flowId, commits)).toEqual([]);
    const commitMs = performance.now() - started;

    const reclaimed = await store.claim(flowId, "worker-b", partitions);
    expect(reclaimed.every((c) => c.epoch === 2 && c.nextOffset === c.partition * 1_000 + 1)).toBe(true);
    // All of A's 1,000 commits are now fenced.
    expect(await store.commit(flowId, commits)).toHaveLength(1000);

    const read = await store.read(flowId);
    expect(read).toHaveLength(1000);
    expect(read.every((r) => r.owner === "worker-b" && r.nextOffset === r.partition * 1_000 + 1)).toBe(true);

    // A sanity bound, not a benchmark: per-row statements would take several seconds.
    expect(claimMs).toBeLessThan(1_000);
    expect(commitMs).toBeLessThan(1_000);
  });

  it("forgets every position of one flow, and deleting a flow deletes its positions", async () => {
    const gone = await newFlow("forget-1");
    const kept = await newFlow("forget-2");
    const p = [
      { topic: "x", partition: 0 },
      { topic: "y", partition: 3 },
    ];
    await store.claim(gone, "w", p);
    await store.claim(kept, "w", p);

    await store.forget(gone);
    expect(await store.read(gone)).toEqual([]);
    expect(await store.read(kept)).toHaveLength(2);
    // A claim after forget starts over.
    expect(await store.claim(gone, "w", p.slice(0, 1))).toEqual([
      { topic: "x", partition: 0, nextOffset: null, epoch: 1, lastCopied: null },
    ]);

    await db.flow.delete({ where: { id: kept } });
    expect(await store.read(kept)).toEqual([]);
  });

  it("refuses a position that is not a non-negative integer, writing nothing", async () => {
    const flowId = await newFlow("invalid");
    await store.claim(flowId, "w", [
      { topic: "t", partition: 0 },
      { topic: "t", partition: 1 },
    ]);
    await expect(
      store.commit(flowId, [
        { topic: "t", partition: 0, nextOffset: 4, epoch: 1 },
        { topic: "t", partition: 1, nextOffset: -1, epoch: 1 },
      ]),
    ).rejects.toThrow(RangeError);
    expect((await store.read(flowId)).map((r) => r.nextOffset)).toEqual([null, null]);
  });
});
