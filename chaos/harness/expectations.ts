import { expect } from "vitest";
import type { ScenarioResult } from "./chaos-rig.ts";
import { exactlyOnceMode } from "./profile.ts";

/** Nothing lost, nothing reordered, every copy byte-identical, and Kafka kept what it acknowledged. */
export function expectNoLoss({ row, check, ackedMissingAtSource }: ScenarioResult): void {
  expect(ackedMissingAtSource, "acknowledged records missing from the source").toBe(0);
  expect(row.produced, "the producer wrote during the scenario").toBeGreaterThan(0);
  expect(check.missing, "records missing on the target").toEqual([]);
  expect(check.lost).toBe(0);
  expect(check.foreign, "target records that are not on the source").toBe(0);
  const disorder = check.partitions
    .filter((p) => p.outOfOrder)
    .map((p) => `p${p.partition} ${p.firstDisorder}`);
  expect(disorder, "partitions whose order differs").toEqual([]);
  expect(check.digestsMatch, "key, value, headers and timestamp equal").toBe(true);
}

/** At most `bound` duplicates at-least-once (a crash's window); none at all in exactly-once mode. */
export function expectDuplicatesAtMost({ row }: Pick<ScenarioResult, "row">, bound: number): void {
  expect(
    row.duplicates,
    exactlyOnceMode ? "duplicates in exactly-once mode" : "duplicates",
  ).toBeLessThanOrEqual(exactlyOnceMode ? 0 : bound);
}
