import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decideCheckpointEmission } from "./checkpoint-emission-rule.ts";

const at = (upstreamOffset: number, downstreamOffset: number) => ({ upstreamOffset, downstreamOffset });

describe("decideCheckpointEmission (MirrorCheckpointTask.checkpointIsMoreRecent)", () => {
  it("emits the first checkpoint of a key", () => {
    expect(decideCheckpointEmission(undefined, at(10, 5))).toEqual({ emit: true, reason: "new-key" });
  });

  it("emits when the downstream offset grew", () => {
    expect(decideCheckpointEmission(at(10, 5), at(11, 6))).toEqual({
      emit: true,
      reason: "downstream-advanced",
    });
  });

  it("emits a lower downstream offset only when the source group rewound", () => {
    expect(decideCheckpointEmission(at(10, 5), at(3, 2))).toEqual({ emit: true, reason: "upstream-rewind" });
    expect(decideCheckpointEmission(at(10, 5), at(12, 4))).toEqual({
      emit: false,
      reason: "downstream-rewind-prevented",
    });
  });

  it("skips repeats", () => {
    expect(decideCheckpointEmission(at(10, 5), at(10, 5))).toEqual({ emit: false, reason: "repeated" });
    expect(decideCheckpointEmission(at(10, 5), at(11, 5))).toEqual({ emit: false, reason: "repeated" });
  });

  it("keeps emitted downstream offsets monotonic per key while the group only moves forward", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(50), fc.integer({ min: -5, max: 20 }))), (steps) => {
        let last: { upstreamOffset: number; downstreamOffset: number } | undefined;
        let up = 0;
        let down = 100;
        for (const [upStep, downStep] of steps) {
          up += upStep;
          down += downStep;
          const candidate = at(up, down);
          if (decideCheckpointEmission(last, candidate).emit) {
            if (last !== undefined) expect(candidate.downstreamOffset).toBeGreaterThan(last.downstreamOffset);
            last = candidate;
          }
        }
      }),
    );
  });
});
