import { OTHER_TOPICS } from "@mirrordeck/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createFlowRow,
  type FlowFixture,
  migratedDatabaseWithClusters,
} from "../../../../scripts/test-support/flow-fixtures.ts";
import type { Database } from "../client.ts";
import { MetricsHistory, type TopicMinuteSample } from "./metrics-history.ts";

let fixture: FlowFixture;
let db: Database;
let history: MetricsHistory;

beforeAll(async () => {
  fixture = await migratedDatabaseWithClusters();
  db = fixture.db;
  history = new MetricsHistory(db);
});

afterAll(async () => {
  await fixture?.cleanup();
});

function newFlow(name: string): Promise<string> {
  return createFlowRow(fixture, { name, topicsInclude: ".*" });
}

const at = (iso: string) => new Date(iso);
const minute = (base: string, i: number) => new Date(Date.parse(base) + i * 60_000);

function sample(topic: string, bucket: Date, over: Partial<TopicMinuteSample> = {}): TopicMinuteSample {
  return {
    topic,
    bucket,
    records: 0,
    bytes: 0,
    maxLagRecords: null,
    maxLagSeconds: null,
    latencyP50Ms: null,
    latencyP99Ms: null,
    ...over,
  };
}

async function storedRows(flowId: string) {
  return db.flowMetricMinute.findMany({ where: { flowId }, orderBy: [{ bucket: "asc" }, { topic: "asc" }] });
}

describe("MetricsHistory.record", () => {
  it("adds samples of the same minute up: counts sum, lags and p99 keep the max, p50 is records-weighted", async () => {
    const flowId = await newFlow("same-bucket");
    await history.record(flowId, [
      sample("orders", at("2026-11-23T11:00:05.123Z"), {
        records: 100,
        bytes: 1_000,
        maxLagRecords: 5,
        maxLagSeconds: 1.5,
        latencyP50Ms: 10,
        latencyP99Ms: 50,
      }),
    ]);
    await history.record(flowId, [
      sample("orders", at("2026-11-23T11:00:55Z"), {
        records: 300,
        bytes: 3_000,
        maxLagRecords: 3,
        maxLagSeconds: 2.5,
        latencyP50Ms: 20,
        latencyP99Ms: 40,
      }),
    ]);
    // A sample without lag or latency figures only adds its counts.
    await history.record(flowId, [sample("orders", at("2026-11-23T11:00:30Z"), { records: 0, bytes: 7 })]);

    const rows = await storedRows(flowId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      topic: "orders",
      bucket: at("2026-11-23T11:00:00Z"),
      records: 400n,
      bytes: 4_007n,
      maxLagRecords: 5n,
      maxLagSeconds: 2.5,
      latencyP50Ms: 17.5,
      latencyP99Ms: 50,
    });
  });

  it("merges samples of one minute within a single call the same way as across calls", async () => {
    const flowId = await newFlow("one-call");
    await history.record(flowId, [
      sample("orders", at("2026-11-23T11:00:01Z"), {
        records: 100,
        bytes: 10,
        maxLagRecords: 5,
        latencyP50Ms: 10,
      }),
      sample("orders", at("2026-11-23T11:00:59Z"), {
        records: 300,
        bytes: 30,
        maxLagRecords: 9,
        latencyP50Ms: 20,
      }),
      sample("refunds", at("2026-11-23T11:00:30Z"), { records: 1, bytes: 1 }),
      sample("orders", at("2026-11-23T11:01:00Z"), { records: 2, bytes: 2 }),
    ]);
    const rows = await storedRows(flowId);
    expect(
      rows.map((r) => [r.bucket.toISOString(), r.topic, r.records, r.bytes, r.maxLagRecords, r.latencyP50Ms]),
    ).toEqual([
      ["2026-11-23T11:00:00.000Z", "orders", 400n, 40n, 9n, 17.5],
      ["2026-11-23T11:00:00.000Z", "refunds", 1n, 1n, null, null],
      ["2026-11-23T11:01:00.000Z", "orders", 2n, 2n, null, null],
    ]);
  });

  it("refuses negative or fractional counts", async () => {
    const flowId = await newFlow("invalid");
    await expect(history.record(flowId, [sample("t", new Date(), { records: -1 })])).rejects.toThrow(
      RangeError,
    );
    await expect(history.record(flowId, [sample("t", new Date(), { bytes: 1.5 })])).rejects.toThrow(
      RangeError,
    );
    expect(await storedRows(flowId)).toEqual([]);
  });
});

describe("MetricsHistory.query", () => {
  const base = "2026-11-23T12:00:00Z";
  let flowId: string;

  beforeAll(async () => {
    flowId = await newFlow("query");
    const samples: TopicMinuteSample[] = [];
    for (let i = 0; i < 10; i++) {
      samples.push(
        sample("a", minute(base, i), {
          records: i + 1,
          bytes: 100 * (i + 1),
          maxLagRecords: i,
          maxLagSeconds: i / 2,
          latencyP50Ms: i + 1,
          latencyP99Ms: 10 * (i + 1),
        }),
      );
    }
    for (let i = 0; i < 5; i++) samples.push(sample("b", minute(base, i), { records: 5, bytes: 50 }));
    await history.record(flowId, samples);
    // Another flow's minutes never show up.
    const other = await newFlow("query-other");
    await history.record(other, [sample("a", minute(base, 0), { records: 1_000, bytes: 1_000 })]);
  });

  it("rolls minutes up into step-sized points, ordered by time then topic", async () => {
    const points = await history.query(flowId, { from: at(base), to: minute(base, 10), stepSeconds: 300 });
    expect(points).toEqual([
      {
        at: "2026-11-23T12:00:00.000Z",
        topic: "a",
        records: 15,
        bytes: 1_500,
        maxLagRecords: 4,
        maxLagSeconds: 2,
        latencyP50Ms: 3,
        latencyP99Ms: 50,
      },
      {
        at: "2026-11-23T12:00:00.000Z",
        topic: "b",
        records: 25,
        bytes: 250,
        maxLagRecords: null,
        maxLagSeconds: null,
        latencyP50Ms: null,
        latencyP99Ms: null,
      },
      {
        at: "2026-11-23T12:05:00.000Z",
        topic: "a",
        records: 40,
        bytes: 4_000,
        maxLagRecords: 9,
        maxLagSeconds: 4.5,
        latencyP50Ms: 8,
        latencyP99Ms: 100,
      },
    ]);
  });

  it("includes `from`, excludes `to`, keeps points aligned to the step, and filters topics", async () => {
    const points = await history.query(flowId, {
      from: minute(base, 1),
      to: minute(base, 6),
      stepSeconds: 300,
      topics: ["a"],
    });
    expect(points.map((p) => [p.at, p.topic, p.records])).toEqual([
      ["2026-11-23T12:00:00.000Z", "a", 2 + 3 + 4 + 5],
      ["2026-11-23T12:05:00.000Z", "a", 6],
    ]);
  });

  it("names at most maxTopics topics, those with the most lag, and merges the others into one series", async () => {
    const wide = await newFlow("query-wide");
    await history.record(wide, [
      sample("calm", minute(base, 0), { records: 1, bytes: 10, maxLagRecords: 0 }),
      sample("behind", minute(base, 0), { records: 2, bytes: 20, maxLagRecords: 500 }),
      sample("busy", minute(base, 0), { records: 300, bytes: 3_000, maxLagRecords: 5 }),
      sample("quiet", minute(base, 0), { records: 4, bytes: 40, maxLagRecords: null }),
    ]);
    const points = await history.query(wide, {
      from: at(base),
      to: minute(base, 1),
      stepSeconds: 60,
      maxTopics: 2,
    });
    expect(points.map((p) => [p.topic, p.records, p.maxLagRecords])).toEqual([
      [OTHER_TOPICS, 1 + 4, 0],
      ["behind", 2, 500],
      ["busy", 300, 5],
    ]);
  });

  it("returns one point per minute with a one-minute step", async () => {
    const points = await history.query(flowId, {
      from: at(base),
      to: minute(base, 10),
      stepSeconds: 60,
      topics: ["a"],
    });
    expect(points.map((p) => p.records)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it("returns nothing for an empty range or topic list, and refuses a bad step", async () => {
    expect(
      await history.query(flowId, { from: minute(base, 5), to: minute(base, 5), stepSeconds: 60 }),
    ).toEqual([]);
    expect(
      await history.query(flowId, { from: at(base), to: minute(base, 10), stepSeconds: 60, topics: [] }),
    ).toEqual([]);
    await expect(
      history.query(flowId, { from: at(base), to: minute(base, 10), stepSeconds: 0 }),
    ).rejects.toThrow(RangeError);
  });
});

describe("MetricsHistory.prune", () => {
  it("deletes the minutes older than the cut-off and reports how many", async () => {
    const flowId = await newFlow("prune");
    const base = "2020-01-01T00:00:00Z";
    await history.record(
      flowId,
      Array.from({ length: 10 }, (_, i) => sample("t", minute(base, i), { records: 1, bytes: 1 })),
    );

    expect(await history.prune(minute(base, 5))).toBe(5);
    const left = await storedRows(flowId);
    expect(left.map((r) => r.bucket.toISOString())).toEqual(
      Array.from({ length: 5 }, (_, i) => minute(base, 5 + i).toISOString()),
    );
    expect(await history.prune(minute(base, 5))).toBe(0);
  });
});
