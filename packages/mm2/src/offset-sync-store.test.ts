import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { OffsetSyncStore, type OffsetTranslation } from "./offset-sync-store.ts";
import { PartitionOffsetSyncTracker } from "./offset-sync-writer.ts";
import { retainedOffsetSyncHistory } from "./retained-offset-sync-history.ts";

const TOPIC = "orders";

function storeWith(
  syncs: Array<[number, number]>,
  options?: ConstructorParameters<typeof OffsetSyncStore>[0],
) {
  const store = new OffsetSyncStore(options);
  store.markReadToEnd();
  for (const [up, down] of syncs) sync(store, up, down);
  return store;
}

function sync(store: OffsetSyncStore, upstreamOffset: number, downstreamOffset: number, partition = 0): void {
  store.handleOffsetSync({ topic: TOPIC, partition, upstreamOffset, downstreamOffset });
}

function translate(store: OffsetSyncStore, upstreamOffset: number, partition = 0): number | undefined {
  const result: OffsetTranslation = store.translateDownstream(TOPIC, partition, upstreamOffset);
  return result.ok ? result.downstreamOffset : undefined;
}

describe("OffsetSyncStore (MM2 semantics)", () => {
  it("follows the compatibility doc's vectors", () => {
    const store = storeWith([[100, 200]]);
    expect(translate(store, 150)).toBe(201);
    sync(store, 150, 251);
    expect(translate(store, 150)).toBe(251);
    expect(translate(store, 5)).toBeUndefined();
    expect(store.translateDownstream(TOPIC, 0, 5)).toEqual({ ok: false, reason: "before-oldest-sync" });

    const fresh = storeWith([[1500, 11000]]);
    expect(translate(fresh, 1499)).toBeUndefined();
    expect(translate(fresh, 1500)).toBe(11000);
    expect(translate(fresh, 2000)).toBe(11001);
  });

  it("emits nothing until the syncs topic has been read to its end once", () => {
    const store = new OffsetSyncStore();
    sync(store, 100, 200);
    expect(store.isReadToEnd).toBe(false);
    expect(store.translateDownstream(TOPIC, 0, 150)).toEqual({ ok: false, reason: "not-read-to-end" });
    store.markReadToEnd();
    expect(translate(store, 150)).toBe(201);
  });

  it("has no translation for a partition without syncs", () => {
    const store = storeWith([[100, 200]]);
    expect(store.translateDownstream(TOPIC, 1, 150)).toEqual({ ok: false, reason: "no-offset-sync" });
    expect(store.translateDownstream("other", 0, 150)).toEqual({ ok: false, reason: "no-offset-sync" });
  });

  it("keeps only the latest sync of the initial read, so translation never goes backwards after a restart", () => {
    const store = new OffsetSyncStore();
    sync(store, 100, 200);
    sync(store, 150, 251);
    store.markReadToEnd();
    expect(translate(store, 120)).toBeUndefined();
    expect(translate(store, 160)).toBe(252);
  });

  it("reproduces MM2's OffsetSyncStoreTest.testPastOffsetTranslation exactly", () => {
    const store = new OffsetSyncStore();
    let offset = 0;
    for (; offset <= 1000; offset += 10) sync(store, offset, offset);
    store.markReadToEnd();
    expect(translate(store, 999)).toBeUndefined();
    for (; offset <= 10000; offset += 10) sync(store, offset, offset);
    const retained = store.retainedSyncs(TOPIC, 0).map((s) => s.upstreamOffset);
    expect(retained).toEqual([10000, 9990, 9970, 9940, 9880, 9640, 9160, 8680, 6760, 4840, 1000]);
    const pairs = [1000, 4840, 6760, 8680, 9160, 9640, 9880, 9940, 9970, 9990, 10000];
    for (let i = 0; i < pairs.length; i++) {
      const syncOffset = pairs[i]!;
      const previous = pairs[i - 1];
      expect(translate(store, syncOffset - 1)).toBe(previous === undefined ? undefined : previous + 1);
      expect(translate(store, syncOffset)).toBe(syncOffset);
      expect(translate(store, syncOffset + 1)).toBe(syncOffset + 1);
      expect(translate(store, syncOffset + 2)).toBe(syncOffset + 1);
    }
    // An upstream rewind invalidates every older sync.
    sync(store, 1500, 11000);
    expect(store.retainedSyncs(TOPIC, 0)).toHaveLength(1);
    expect(translate(store, 1499)).toBeUndefined();
    expect(translate(store, 1500)).toBe(11000);
    expect(translate(store, 2000)).toBe(11001);
  });

  it("translates a downstream reset from the newest sync", () => {
    const store = storeWith([
      [100, 200],
      [150, 251],
      [200, 10],
    ]);
    expect(translate(store, 200)).toBe(10);
    sync(store, 20, 20);
    expect(translate(store, 20)).toBe(20);
  });

  it("returns the sync it used, for diagnostics", () => {
    const store = storeWith([[100, 200]]);
    expect(store.translateDownstream(TOPIC, 0, 100)).toEqual({
      ok: true,
      downstreamOffset: 200,
      sync: { upstreamOffset: 100, downstreamOffset: 200 },
    });
  });
});

/** A replicated source partition: records, their offsets, and the syncs MM2's writer emitted. */
interface Replication {
  records: Array<{ up: number; down: number }>;
  syncs: Array<[number, number]>;
  nextDownstream: number;
  maxLag: number;
}

const replications = (downstreamGaps: boolean) =>
  fc
    .record({
      maxLag: fc.integer({ min: 1, max: 60 }),
      firstUp: fc.integer({ min: 0, max: 1_000 }),
      firstDown: fc.integer({ min: 0, max: 1_000 }),
      steps: fc.array(
        fc.record({
          upstreamGap: fc.oneof(
            fc.constant(1),
            fc.constant(1),
            fc.constant(1),
            fc.integer({ min: 2, max: 20 }),
          ),
          downstreamGap: downstreamGaps ? fc.integer({ min: 1, max: 5 }) : fc.constant(1),
          flush: fc.boolean(),
        }),
        { minLength: 1, maxLength: 400 },
      ),
    })
    .map(({ maxLag, firstUp, firstDown, steps }): Replication => {
      const tracker = new PartitionOffsetSyncTracker(maxLag);
      const records = [];
      const syncs: Array<[number, number]> = [];
      let up = firstUp;
      let down = firstDown;
      for (const [i, step] of [{ upstreamGap: 0, downstreamGap: 0, flush: false }, ...steps].entries()) {
        if (i > 0) {
          up += step.upstreamGap;
          down += step.downstreamGap;
        }
        records.push({ up, down });
        if (tracker.update(up, down) === "sync-now") syncs.push([up, down]);
        if (step.flush) {
          const delayed = tracker.takeDelayedSync();
          if (delayed !== undefined) syncs.push([delayed.upstreamOffset, delayed.downstreamOffset]);
        }
      }
      return { records, syncs, nextDownstream: down + 1, maxLag };
    });

/** Downstream offset of the first replicated record at or after `committed`: where the group must resume. */
function exactPosition(replication: Replication, committed: number): number {
  return replication.records.find((record) => record.up >= committed)?.down ?? replication.nextDownstream;
}

function committedOffsets(replication: Replication): number[] {
  const first = replication.records[0]!.up;
  const last = replication.records.at(-1)!.up;
  const offsets = [];
  for (let c = first; c <= last + 3; c++) offsets.push(c);
  return offsets;
}

describe("offset translation safety and accuracy (property tests)", () => {
  it("MM2's store never translates past the first record the group has not consumed", () => {
    fc.assert(
      fc.property(replications(true), (replication) => {
        const store = storeWith(replication.syncs);
        for (const committed of committedOffsets(replication)) {
          const translated = translate(store, committed);
          if (translated !== undefined)
            expect(translated).toBeLessThanOrEqual(exactPosition(replication, committed));
        }
      }),
    );
  });

  it("the retained history errs by at most offset.lag.max at any distance, never ahead", () => {
    fc.assert(
      fc.property(replications(false), (replication) => {
        const store = storeWith(replication.syncs, { createHistory: retainedOffsetSyncHistory() });
        for (const committed of committedOffsets(replication)) {
          const translated = translate(store, committed);
          const exact = exactPosition(replication, committed);
          expect(translated).toBeDefined();
          expect(translated!).toBeLessThanOrEqual(exact);
          expect(exact - translated!).toBeLessThanOrEqual(replication.maxLag);
        }
      }),
    );
  });

  it("MM2's exponential history alone does not give that bound for lagging groups", () => {
    // The counterexample that motivates the retained history: a group far behind the live end.
    const replication: Replication = { records: [], syncs: [], nextDownstream: 0, maxLag: 10 };
    const tracker = new PartitionOffsetSyncTracker(10);
    for (let up = 0; up < 5_000; up++) {
      replication.records.push({ up, down: up });
      if (tracker.update(up, up) === "sync-now") replication.syncs.push([up, up]);
    }
    replication.nextDownstream = 5_000;
    const mm2 = storeWith(replication.syncs);
    const retained = storeWith(replication.syncs, { createHistory: retainedOffsetSyncHistory() });
    const committed = 2_005;
    expect(exactPosition(replication, committed) - translate(mm2, committed)!).toBeGreaterThan(10);
    expect(exactPosition(replication, committed) - translate(retained, committed)!).toBeLessThanOrEqual(10);
  });

  it("keeps the history through the initial read of the topic (a restart), unlike MM2", () => {
    const store = new OffsetSyncStore({ createHistory: retainedOffsetSyncHistory() });
    for (let up = 0; up <= 10_000; up += 100) sync(store, up, up + 7);
    store.markReadToEnd();
    expect(translate(store, 1_050)).toBe(1_008);
    expect(translate(store, 1_000)).toBe(1_007);
  });

  it("a full retained history thins its older half and stays safe everywhere", () => {
    fc.assert(
      fc.property(replications(true), fc.integer({ min: 2, max: 30 }), (replication, bound) => {
        const store = storeWith(replication.syncs, { createHistory: retainedOffsetSyncHistory(bound) });
        expect(store.retainedSyncs(TOPIC, 0).length).toBeLessThanOrEqual(bound);
        for (const committed of committedOffsets(replication)) {
          const translated = translate(store, committed);
          if (translated !== undefined) {
            expect(translated).toBeLessThanOrEqual(exactPosition(replication, committed));
          }
        }
      }),
    );
  });

  it("starts over when the target topic was re-created (downstream rewind)", () => {
    const store = storeWith(
      [
        [0, 100],
        [10, 110],
        [20, 5],
      ],
      { createHistory: retainedOffsetSyncHistory() },
    );
    expect(store.retainedSyncs(TOPIC, 0)).toEqual([{ upstreamOffset: 20, downstreamOffset: 5 }]);
    expect(translate(store, 15)).toBeUndefined();
  });

  it("drops syncs a takeover's re-copy superseded (upstream rewind) and keeps the older ones", () => {
    // Worker A copied 0..249 to 0..249 and crashed after writing its position at 150; B re-copies
    // from 150, its records landing at 250 onwards.
    const store = storeWith(
      [
        [0, 0],
        [100, 100],
        [200, 200],
        [150, 250],
        [150, 251],
        [250, 350],
      ],
      { createHistory: retainedOffsetSyncHistory() },
    );
    expect(store.retainedSyncs(TOPIC, 0).map((s) => s.upstreamOffset)).toEqual([250, 150, 100, 0]);
    expect(translate(store, 120)).toBe(101);
    expect(translate(store, 150)).toBe(250);
    expect(translate(store, 260)).toBe(351);
  });
});
