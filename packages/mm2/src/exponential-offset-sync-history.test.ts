import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SYNCS_PER_PARTITION } from "./defaults.ts";
import { ExponentialOffsetSyncHistory } from "./exponential-offset-sync-history.ts";

function checkInvariants(history: ExponentialOffsetSyncHistory, latest: number, earliest: number): void {
  expect(history.syncAt(0).upstreamOffset).toBe(latest); // A
  expect(history.syncAt(SYNCS_PER_PARTITION - 1).upstreamOffset).toBe(earliest); // D
  const violations: string[] = [];
  for (let j = 0; j < SYNCS_PER_PARTITION; j++) {
    for (let i = 0; i < j; i++) {
      const iSync = history.syncAt(i);
      const jSync = history.syncAt(j);
      if (iSync === jSync) continue;
      if (iSync.upstreamOffset > jSync.upstreamOffset + 2 ** j - 2 ** i) violations.push(`B(${i},${j})`);
      if (iSync.upstreamOffset < jSync.upstreamOffset + 2 ** Math.max(i - 2, 0))
        violations.push(`C(${i},${j})`);
    }
  }
  expect(violations).toEqual([]);
}

describe("ExponentialOffsetSyncHistory", () => {
  it("keeps MM2's invariants for any increasing sequence of syncs", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.array(fc.integer({ min: 1, max: 5_000 }), { minLength: 1, maxLength: 300 }),
        (start, gaps) => {
          const history = new ExponentialOffsetSyncHistory({ upstreamOffset: start, downstreamOffset: 0 });
          let offset = start;
          for (const gap of gaps) {
            offset += gap;
            history.add({ upstreamOffset: offset, downstreamOffset: offset }, true);
          }
          checkInvariants(history, offset, start);
        },
      ),
    );
  });

  it("keeps the invariants with offsets near 2^53", () => {
    const start = Number.MAX_SAFE_INTEGER - 1_000_000;
    const history = new ExponentialOffsetSyncHistory({ upstreamOffset: start, downstreamOffset: 0 });
    let offset = start;
    for (let i = 0; i < 500; i++) {
      offset += 1_000 + i;
      history.add({ upstreamOffset: offset, downstreamOffset: i }, true);
    }
    checkInvariants(history, offset, start);
  });

  it("keeps a few dozen distinct syncs spread back from the latest", () => {
    const history = new ExponentialOffsetSyncHistory({ upstreamOffset: 0, downstreamOffset: 0 });
    for (let offset = 1; offset <= 200_000; offset++)
      history.add({ upstreamOffset: offset, downstreamOffset: offset }, true);
    const retained = history.retained().map((sync) => sync.upstreamOffset);
    expect(retained.length).toBeGreaterThan(15);
    expect(retained.length).toBeLessThanOrEqual(SYNCS_PER_PARTITION);
    expect(retained[0]).toBe(200_000);
    expect(retained.at(-1)).toBe(0);
  });

  it("keeps only the newest sync while the syncs topic is still being read", () => {
    const history = new ExponentialOffsetSyncHistory({ upstreamOffset: 0, downstreamOffset: 0 });
    history.add({ upstreamOffset: 10, downstreamOffset: 10 }, false);
    expect(history.retained()).toEqual([{ upstreamOffset: 10, downstreamOffset: 10 }]);
  });
});
