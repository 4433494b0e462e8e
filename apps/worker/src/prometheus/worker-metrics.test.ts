import { readFileSync } from "node:fs";
import path from "node:path";
import type { FlowMetricsSnapshot, PartitionMetrics } from "@mirrordeck/contracts";
import { describe, expect, it } from "vitest";
import { parsePrometheusText, sumOf } from "../../../../scripts/test-support/prometheus-text.ts";
import { WorkerMetrics } from "./worker-metrics.ts";

const flow = { flowId: "f1", source: "east", target: "west" };

function partition(p: Partial<PartitionMetrics>): PartitionMetrics {
  return {
    topic: "orders",
    partition: 0,
    remoteTopic: "east.orders",
    state: "running",
    error: null,
    logEndOffset: 100,
    nextOffset: 90,
    lagRecords: 10,
    lagSeconds: 2,
    recordsPerSec: 10,
    bytesPerSec: 1_000,
    latencyP50Ms: 20,
    latencyP99Ms: 80,
    recordsCopied: 0,
    ...p,
  };
}

const snapshot = (partitions: PartitionMetrics[]): FlowMetricsSnapshot => ({
  flowId: "f1",
  workerId: "w1",
  at: new Date().toISOString(),
  intervalMs: 5_000,
  partitions,
});

async function samples(metrics: WorkerMetrics) {
  return parsePrometheusText(await metrics.registry.metrics());
}

describe("WorkerMetrics", () => {
  it("counts copied records by the change of each partition's count, per topic, across a runner restart", async () => {
    const metrics = new WorkerMetrics("w1", false);
    metrics.flowStarted(flow);
    metrics.observeSnapshot(
      snapshot([partition({ recordsCopied: 40 }), partition({ partition: 1, recordsCopied: 60 })]),
    );
    metrics.observeSnapshot(
      snapshot([partition({ recordsCopied: 45 }), partition({ partition: 1, recordsCopied: 70 })]),
    );
    // The runner restarted: its counts start from 0 again and count whole.
    metrics.observeSnapshot(
      snapshot([partition({ recordsCopied: 3 }), partition({ partition: 1, recordsCopied: 70 })]),
    );
    const s = await samples(metrics);
    expect(sumOf(s, "mirrordeck_records_copied_total", { flow_id: "f1", topic: "orders" })).toBe(
      40 + 60 + 5 + 10 + 3,
    );
    expect(sumOf(s, "mirrordeck_lag_records", { topic: "orders" })).toBe(20);
    expect(sumOf(s, "mirrordeck_partitions_owned", { flow_id: "f1" })).toBe(2);
    expect(sumOf(s, "mirrordeck_replication_latency_seconds", { quantile: "0.99" })).toBeCloseTo(0.08);
    // bytes: 1,000/s over a 5 s interval, two partitions, three snapshots
    expect(sumOf(s, "mirrordeck_bytes_copied_total")).toBe(30_000);
    // One series per topic, none per partition, and the worker named on each.
    const lag = s.filter((x) => x.name === "mirrordeck_lag_records");
    expect(lag).toHaveLength(1);
    expect(lag[0]!.labels).toEqual({
      flow_id: "f1",
      source: "east",
      target: "west",
      topic: "orders",
      worker: "w1",
    });
  });

  it("has a series per partition only when asked", async () => {
    const metrics = new WorkerMetrics("w1", true);
    metrics.flowStarted(flow);
    metrics.observeSnapshot(snapshot([partition({}), partition({ partition: 1, lagRecords: 5 })]));
    const lag = (await samples(metrics)).filter((x) => x.name === "mirrordeck_lag_records");
    expect(lag.map((x) => [x.labels.partition, x.value])).toEqual([
      ["0", 10],
      ["1", 5],
    ]);
  });

  it("shows one state of the flow at a time, and forgets every series of a flow that stops here", async () => {
    const metrics = new WorkerMetrics("w1", false);
    metrics.flowStarted(flow);
    metrics.setFlowState("f1", "ERROR");
    metrics.partitionsClaimed("f1", 3);
    metrics.observeSnapshot(snapshot([partition({ state: "error" })]));
    metrics.observeLeaderStatus(
      {
        flowId: "f1",
        workerId: "w1",
        at: new Date().toISOString(),
        offsetSyncs: { topic: "t", readToEnd: true, partitions: 1, syncsKept: 1 },
        checkpoints: {
          enabled: true,
          topic: "c",
          lastRunAt: new Date(Date.now() - 4_000).toISOString(),
          lastError: null,
          written: 7,
        },
        heartbeats: {
          enabled: true,
          lastEmittedAt: null,
          emitError: null,
          replicatedTopic: "east.heartbeats",
          lastReplicatedTimestamp: Date.now() - 2_000,
          watchingSince: null,
        },
        groups: [],
      },
      Date.now(),
    );
    let s = await samples(metrics);
    expect(
      s.filter((x) => x.name === "mirrordeck_flow_state" && x.value === 1).map((x) => x.labels.state),
    ).toEqual(["ERROR"]);
    expect(sumOf(s, "mirrordeck_partitions_in_error")).toBe(1);
    expect(sumOf(s, "mirrordeck_partition_claims_total")).toBe(3);
    expect(sumOf(s, "mirrordeck_heartbeat_age_seconds")).toBeGreaterThanOrEqual(2);
    expect(sumOf(s, "mirrordeck_checkpoint_age_seconds")).toBeGreaterThanOrEqual(4);
    expect(sumOf(s, "mirrordeck_checkpoints_written")).toBe(7);

    metrics.flowStopped("f1");
    s = await samples(metrics);
    expect(
      s.filter((x) => x.name.startsWith("mirrordeck_") && !x.name.startsWith("mirrordeck_worker_")),
    ).toEqual([]);
  });

  it("the Grafana dashboard uses only series that the worker or the web app define", () => {
    const root = path.resolve(import.meta.dirname, "../../../..");
    const defined = new Set<string>();
    for (const file of [
      "apps/worker/src/prometheus/worker-metrics.ts",
      "apps/web/lib/server/prometheus.ts",
    ]) {
      for (const [, name] of readFileSync(path.join(root, file), "utf8").matchAll(
        /name: "(mirrordeck_[a-z_]+)"/g,
      )) {
        defined.add(name!);
      }
    }
    const dashboard = readFileSync(path.join(root, "deploy/grafana/mirrordeck-dashboard.json"), "utf8");
    const used = new Set(
      [...dashboard.matchAll(/mirrordeck_[a-z_]+/g)].map(([name]) => name.replace(/_bucket$/, "")),
    );
    used.delete("mirrordeck_replication"); // the dashboard's uid, not a series
    expect([...used].filter((name) => !defined.has(name))).toEqual([]);
    expect(used.size).toBeGreaterThanOrEqual(12);
  });
});
