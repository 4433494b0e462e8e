import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PartitionOffsetSyncTracker } from "./offset-sync-writer.ts";

describe("PartitionOffsetSyncTracker", () => {
  it("follows the compatibility doc's vector with offset.lag.max = 50", () => {
    const tracker = new PartitionOffsetSyncTracker(50);
    const decisions = [
      [0, 100],
      [2, 102],
      [3, 152],
      [4, 153],
      [5, 154],
      [6, 203],
      [7, 204],
    ].map(([up, down]) => tracker.update(up!, down!));
    expect(decisions).toEqual([
      "sync-now",
      "sync-now",
      "delayed",
      "sync-now",
      "delayed",
      "delayed",
      "sync-now",
    ]);
  });

  it("says why a sync is due", () => {
    const tracker = new PartitionOffsetSyncTracker(50);
    tracker.update(0, 100);
    expect(tracker.lastTrigger).toBe("first-record");
    tracker.update(2, 102);
    expect(tracker.lastTrigger).toBe("upstream-gap");
    tracker.update(3, 153);
    expect(tracker.lastTrigger).toBe("offset-lag");
    tracker.update(4, 10);
    expect(tracker.lastTrigger).toBe("downstream-rewind");
  });

  it("uses offset.lag.max = 100 by default", () => {
    const tracker = new PartitionOffsetSyncTracker();
    expect(tracker.update(0, 0)).toBe("sync-now");
    expect(tracker.update(1, 100)).toBe("delayed");
    expect(tracker.update(2, 101)).toBe("sync-now");
  });

  it("keeps only the latest delayed pair for the periodic flush, and hands it over once", () => {
    const tracker = new PartitionOffsetSyncTracker(50);
    tracker.update(0, 0);
    expect(tracker.takeDelayedSync()).toBeUndefined();
    tracker.update(1, 1);
    tracker.update(2, 2);
    expect(tracker.hasDelayedSync).toBe(true);
    expect(tracker.takeDelayedSync()).toEqual({ upstreamOffset: 2, downstreamOffset: 2 });
    expect(tracker.takeDelayedSync()).toBeUndefined();
    expect(tracker.hasDelayedSync).toBe(false);
  });

  it("drops the delayed pair when a newer sync is written at once", () => {
    const tracker = new PartitionOffsetSyncTracker(50);
    tracker.update(0, 0);
    tracker.update(1, 1);
    tracker.update(5, 2); // gap: sync now
    expect(tracker.takeDelayedSync()).toBeUndefined();
  });

  it("does not move the lag baseline when the delayed pair is flushed, exactly as MM2", () => {
    const tracker = new PartitionOffsetSyncTracker(10);
    tracker.update(0, 0);
    tracker.update(1, 5);
    tracker.takeDelayedSync();
    expect(tracker.update(2, 11)).toBe("sync-now"); // 11 - (0 + 1) >= 10
  });

  it("never lets an unsynced record drift offset.lag.max or more past the last sync", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.array(
          fc.record({
            upstreamStep: fc.integer({ min: 1, max: 3 }),
            downstreamStep: fc.integer({ min: 1, max: 40 }),
          }),
          {
            maxLength: 300,
          },
        ),
        (maxLag, steps) => {
          const tracker = new PartitionOffsetSyncTracker(maxLag);
          let up = 0;
          let down = 0;
          let lastSyncDown = 0;
          expect(tracker.update(up, down)).toBe("sync-now");
          for (const step of steps) {
            up += step.upstreamStep;
            down += step.downstreamStep;
            if (tracker.update(up, down) === "sync-now") lastSyncDown = down;
            else expect(down - (lastSyncDown + 1)).toBeLessThan(maxLag);
          }
        },
      ),
    );
  });
});
