"use client";

import { type FlowMetricsSnapshot, OTHER_TOPICS, type PartitionMetrics } from "@mirrordeck/contracts";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import type { FlowStreamMetrics } from "./api-client.ts";

/** One point of a flow's live series (every 2 s while the page is open). */
export interface LivePoint {
  t: number;
  recordsPerSec: number;
  bytesPerSec: number;
  latencyP50Ms: number | null;
  latencyP99Ms: number | null;
  /** Records behind, per source topic. */
  lagByTopic: Record<string, number>;
}

export interface LiveFlowState {
  connected: boolean;
  latest: FlowStreamMetrics | null;
  partitions: PartitionMetrics[];
  series: LivePoint[];
}

/** Five minutes at the stream's 2 s cadence. */
const MAX_POINTS = 150;
/** Lag lines a chart draws at most: the topics most behind, the rest summed as one. */
const CHART_TOPICS = 20;

const EMPTY: LiveFlowState = { connected: false, latest: null, partitions: [], series: [] };

export const liveFlowKey = (flowId: string) => ["flow-live", flowId] as const;

/** Every partition of every worker's latest snapshot (each partition has one owner). */
export function mergePartitions(snapshots: readonly FlowMetricsSnapshot[]): PartitionMetrics[] {
  const byKey = new Map<string, PartitionMetrics>();
  for (const s of [...snapshots].sort((a, b) => a.at.localeCompare(b.at))) {
    for (const p of s.partitions) byKey.set(`${p.topic}\u0000${p.partition}`, p);
  }
  return [...byKey.values()];
}

export function toLivePoint(metrics: FlowStreamMetrics, partitions: readonly PartitionMetrics[]): LivePoint {
  const lagByTopic: Record<string, number> = {};
  let weighted = 0;
  let weight = 0;
  let p99: number | null = null;
  for (const p of partitions) {
    if (p.lagRecords !== null) lagByTopic[p.topic] = (lagByTopic[p.topic] ?? 0) + p.lagRecords;
    if (p.latencyP50Ms !== null) {
      const w = Math.max(p.recordsPerSec, 1e-9);
      weighted += p.latencyP50Ms * w;
      weight += w;
    }
    if (p.latencyP99Ms !== null) p99 = Math.max(p99 ?? 0, p.latencyP99Ms);
  }
  return {
    t: Date.parse(metrics.at),
    recordsPerSec: metrics.summary.recordsPerSec,
    bytesPerSec: metrics.summary.bytesPerSec,
    latencyP50Ms: weight > 0 ? weighted / weight : null,
    latencyP99Ms: p99,
    lagByTopic: mostBehind(lagByTopic),
  };
}

/** The CHART_TOPICS topics with the most lag by name, the others summed into OTHER_TOPICS. */
function mostBehind(lagByTopic: Record<string, number>): Record<string, number> {
  const entries = Object.entries(lagByTopic);
  if (entries.length <= CHART_TOPICS) return lagByTopic;
  entries.sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const kept: Record<string, number> = Object.fromEntries(entries.slice(0, CHART_TOPICS));
  kept[OTHER_TOPICS] = entries.slice(CHART_TOPICS).reduce((sum, [, lag]) => sum + lag, 0);
  return kept;
}

/**
 * Follows the flow's Server-Sent Events into the query cache: the latest metrics, the merged
 * partition table and a rolling five-minute series; `state` events refresh the flow itself.
 */
export function useFlowStream(flowId: string): LiveFlowState {
  const client = useQueryClient();
  useEffect(() => {
    const source = new EventSource(`/api/v1/flows/${encodeURIComponent(flowId)}/stream`);
    const update = (change: (current: LiveFlowState) => LiveFlowState) =>
      client.setQueryData<LiveFlowState>(liveFlowKey(flowId), (current) => change(current ?? EMPTY));
    source.addEventListener("open", () => update((s) => ({ ...s, connected: true })));
    source.addEventListener("error", () => update((s) => ({ ...s, connected: false })));
    source.addEventListener("metrics", (event) => {
      const metrics = JSON.parse((event as MessageEvent<string>).data) as FlowStreamMetrics;
      const partitions = mergePartitions(metrics.snapshots);
      update((s) => ({
        connected: true,
        latest: metrics,
        partitions,
        series: [...s.series, toLivePoint(metrics, partitions)].slice(-MAX_POINTS),
      }));
    });
    source.addEventListener("state", () => {
      void client.invalidateQueries({ queryKey: ["flow", flowId] });
      void client.invalidateQueries({ queryKey: ["flow-events", flowId] });
    });
    source.addEventListener("deleted", () => source.close());
    return () => source.close();
  }, [client, flowId]);
  // Read-only here: the stream above is the only writer.
  const query = useQuery({
    queryKey: liveFlowKey(flowId),
    queryFn: () => EMPTY,
    staleTime: Number.POSITIVE_INFINITY,
    initialData: EMPTY,
  });
  return query.data;
}
