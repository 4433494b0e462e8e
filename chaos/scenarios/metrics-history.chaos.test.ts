// Two days of a flow's per-minute metrics history, written and pruned on the worker's own schedule
// (simulated time: a real day would not fit a test): what Postgres keeps stays at 24 h.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  METRICS_PRUNE_INTERVAL_MS,
  METRICS_RETENTION_MS,
  pruneMetricsHistory,
} from "../../apps/worker/src/metrics-retention.ts";
import { MetricsHistory, type TopicMinuteSample } from "../../packages/db/src/index.ts";
import {
  createFlowRow,
  type FlowFixture,
  migratedDatabaseWithClusters,
} from "../../scripts/test-support/flow-fixtures.ts";
import { recordScenario } from "../harness/chaos-report.ts";

const TOPICS = 10;
const MINUTE = 60_000;
const DAY_MINUTES = 1_440;

let fixture: FlowFixture;
beforeAll(async () => {
  fixture = await migratedDatabaseWithClusters();
});
afterAll(async () => {
  await fixture?.cleanup();
});

describe("metrics history", () => {
  it("48 h of minutes for 10 topics: 24 h are kept, the rest is pruned as it ages", async () => {
    const started = Date.now();
    const flowId = await createFlowRow(fixture, { name: "metrics-24h", topicsInclude: "orders.*" });
    const history = new MetricsHistory(fixture.db);
    const start = Math.floor(Date.parse("2026-01-01T00:00:00Z") / MINUTE) * MINUTE;
    const perPrune = METRICS_PRUNE_INTERVAL_MS / MINUTE;
    const counts: number[] = [];
    const sizes: number[] = [];
    for (let minute = 0; minute < 2 * DAY_MINUTES; minute += perPrune) {
      const samples: TopicMinuteSample[] = [];
      for (let m = minute; m < minute + perPrune; m++) {
        for (let t = 0; t < TOPICS; t++) {
          samples.push({
            topic: `orders-${t}`,
            bucket: new Date(start + m * MINUTE),
            records: 24_000,
            bytes: 24_000_000,
            maxLagRecords: 50,
            maxLagSeconds: 0.4,
            latencyP50Ms: 12,
            latencyP99Ms: 80,
          });
        }
      }
      await history.record(flowId, samples);
      const now = start + (minute + perPrune) * MINUTE;
      await pruneMetricsHistory(history, now);
      if ((minute + perPrune) % DAY_MINUTES === 0) {
        counts.push(await fixture.db.flowMetricMinute.count({ where: { flowId } }));
        const [table] = await fixture.db.$queryRaw<{ size: bigint }[]>`
          SELECT pg_total_relation_size('flow_metric_minute') AS size`;
        sizes.push(Number(table!.size));
        const oldest = await fixture.db.flowMetricMinute.findFirst({
          where: { flowId },
          orderBy: { bucket: "asc" },
        });
        expect(oldest!.bucket.getTime()).toBeGreaterThanOrEqual(now - METRICS_RETENTION_MS);
      }
    }
    // After each day exactly a day of minutes per topic: never more, however long it runs.
    expect(counts).toEqual([DAY_MINUTES * TOPICS, DAY_MINUTES * TOPICS]);
    const mb = (b: number) => (b / 1_048_576).toFixed(1);
    recordScenario({
      scenario: "metrics-history-48h",
      produced: 0,
      sourceRecords: 0,
      replicated: 0,
      lost: 0,
      expectedLost: 0,
      duplicates: 0,
      outOfOrder: 0,
      recoverySeconds: null,
      seconds: Math.round((Date.now() - started) / 1000),
      note: `rows after day 1 / day 2: ${counts.join(" / ")} (${DAY_MINUTES} per topic); table ${mb(sizes[0]!)} / ${mb(sizes[1]!)} MB`,
    });
  });
});
