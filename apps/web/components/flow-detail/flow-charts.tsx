"use client";

import { useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { api } from "@/lib/api-client.ts";
import { formatBytesRate, formatCount, formatRate } from "@/lib/format.ts";
import type { LivePoint } from "@/lib/use-flow-stream.ts";

type Range = "live" | "15m" | "1h" | "24h";

const RANGES: { id: Range; label: string; ms: number; step: number }[] = [
  { id: "live", label: "Live (5 min)", ms: 5 * 60_000, step: 0 },
  { id: "15m", label: "15 min", ms: 15 * 60_000, step: 60 },
  { id: "1h", label: "1 h", ms: 3_600_000, step: 60 },
  { id: "24h", label: "24 h", ms: 86_400_000, step: 600 },
];

const COLORS = ["#2563eb", "#16a34a", "#d97706", "#db2777", "#7c3aed", "#0891b2", "#65a30d", "#dc2626"];
/** Every plotted line: no point markers, no animation. */
const LINE_STYLE = { dot: false, isAnimationActive: false } as const;

interface ChartPoint {
  t: number;
  recordsPerSec: number;
  bytesPerSec: number;
  latencyP50Ms: number | null;
  latencyP99Ms: number | null;
  [lagKey: `lag:${string}`]: number;
}

function fromLive(series: readonly LivePoint[]): { points: ChartPoint[]; topics: string[] } {
  const topics = new Set<string>();
  const points = series.map((p) => {
    const point: ChartPoint = {
      t: p.t,
      recordsPerSec: p.recordsPerSec,
      bytesPerSec: p.bytesPerSec,
      latencyP50Ms: p.latencyP50Ms,
      latencyP99Ms: p.latencyP99Ms,
    };
    for (const [topic, lag] of Object.entries(p.lagByTopic)) {
      topics.add(topic);
      point[`lag:${topic}`] = lag;
    }
    return point;
  });
  return { points, topics: [...topics].sort() };
}

/** Time, throughput, latency and lag per topic; live from the stream or per minute from history. */
export function FlowCharts({ flowId, series }: { flowId: string; series: readonly LivePoint[] }) {
  const [range, setRange] = useState<Range>("live");
  const spec = RANGES.find((r) => r.id === range) ?? RANGES[0]!;
  const history = useQuery({
    queryKey: ["flow-metrics", flowId, range],
    enabled: range !== "live",
    refetchInterval: 60_000,
    queryFn: () => {
      const to = new Date();
      return api.flowMetrics(flowId, {
        from: new Date(to.getTime() - spec.ms).toISOString(),
        to: to.toISOString(),
        step: spec.step,
      });
    },
  });
  const data = useMemo(() => {
    if (range === "live") return fromLive(series);
    const byTime = new Map<number, ChartPoint>();
    const topics = new Set<string>();
    for (const p of history.data?.points ?? []) {
      const t = Date.parse(p.at);
      const point = byTime.get(t) ?? {
        t,
        recordsPerSec: 0,
        bytesPerSec: 0,
        latencyP50Ms: null,
        latencyP99Ms: null,
      };
      point.recordsPerSec += p.records / spec.step;
      point.bytesPerSec += p.bytes / spec.step;
      if (p.latencyP50Ms !== null) point.latencyP50Ms = Math.max(point.latencyP50Ms ?? 0, p.latencyP50Ms);
      if (p.latencyP99Ms !== null) point.latencyP99Ms = Math.max(point.latencyP99Ms ?? 0, p.latencyP99Ms);
      if (p.maxLagRecords !== null) {
        topics.add(p.topic);
        point[`lag:${p.topic}`] = p.maxLagRecords;
      }
      byTime.set(t, point);
    }
    return { points: [...byTime.values()].sort((a, b) => a.t - b.t), topics: [...topics].sort() };
  }, [range, series, history.data, spec.step]);

  // What the charts show, as numbers the e2e test (and anyone inspecting the page) can read.
  const last = data.points.at(-1);
  const lagOf = (p: ChartPoint | undefined) =>
    p === undefined ? 0 : data.topics.reduce((sum, topic) => sum + (p[`lag:${topic}`] ?? 0), 0);
  const plotted = {
    lag: { last: lagOf(last), max: Math.max(0, ...data.points.map(lagOf)) },
    throughput: {
      last: last?.recordsPerSec ?? 0,
      max: Math.max(0, ...data.points.map((p) => p.recordsPerSec)),
    },
    latency: {
      last: last?.latencyP99Ms ?? 0,
      max: Math.max(0, ...data.points.map((p) => p.latencyP99Ms ?? 0)),
    },
  };
  const time = (t: number) =>
    new Date(t).toLocaleTimeString(
      "en-GB",
      range === "24h" ? { hour: "2-digit", minute: "2-digit" } : undefined,
    );
  // Shared by the three charts: how many points there are, and whether they are still loading.
  const chartState = {
    points: data.points.length,
    empty: data.points.length === 0,
    loading: range !== "live" && history.isPending,
  };
  // Shared by the three charts: a light grid and a time axis over the plotted range.
  const timeGrid = <CartesianGrid strokeDasharray="3 3" opacity={0.3} />;
  // Legend text in the text colour (line colours alone are too faint to read), markers in colour.
  const legend = <Legend formatter={(value: string) => <span className="chart-legend-text">{value}</span>} />;
  const timeAxis = (
    <XAxis dataKey="t" type="number" domain={["dataMin", "dataMax"]} tickFormatter={time} scale="time" />
  );
  return (
    <section aria-labelledby="charts-heading">
      <div className="section-head">
        <h2 id="charts-heading">Throughput, latency and lag</h2>
        <fieldset className="segmented">
          <legend className="visually-hidden">Time range</legend>
          {RANGES.map((r) => (
            <button key={r.id} type="button" aria-pressed={range === r.id} onClick={() => setRange(r.id)}>
              {r.label}
            </button>
          ))}
        </fieldset>
      </div>
      {range !== "live" && history.isError ? (
        <p className="error-text">Could not load history: {history.error.message}</p>
      ) : null}
      <div className="chart-grid">
        <Chart title="Lag per topic (records)" testId="chart-lag" plotted={plotted.lag} {...chartState}>
          <LineChart data={data.points}>
            {timeGrid}
            {timeAxis}
            <YAxis tickFormatter={(v: number) => formatCount(v)} width={56} />
            <Tooltip labelFormatter={(t) => time(Number(t))} formatter={(v) => formatCount(Number(v))} />
            {legend}
            {data.topics.map((topic, i) => (
              <Line
                key={topic}
                dataKey={`lag:${topic}`}
                name={topic}
                stroke={COLORS[i % COLORS.length]}
                {...LINE_STYLE}
              />
            ))}
          </LineChart>
        </Chart>
        <Chart title="Throughput" testId="chart-throughput" plotted={plotted.throughput} {...chartState}>
          <LineChart data={data.points}>
            {timeGrid}
            {timeAxis}
            <YAxis yAxisId="records" tickFormatter={(v: number) => formatCount(v)} width={56} />
            <YAxis
              yAxisId="bytes"
              orientation="right"
              tickFormatter={(v: number) => formatBytesRate(v)}
              width={72}
            />
            <Tooltip
              labelFormatter={(t) => time(Number(t))}
              formatter={(v, name) => (name === "MB/s" ? formatBytesRate(Number(v)) : formatRate(Number(v)))}
            />
            {legend}
            <Line
              yAxisId="records"
              dataKey="recordsPerSec"
              name="records/s"
              stroke={COLORS[0]}
              {...LINE_STYLE}
            />
            <Line yAxisId="bytes" dataKey="bytesPerSec" name="MB/s" stroke={COLORS[1]} {...LINE_STYLE} />
          </LineChart>
        </Chart>
        <Chart
          title="Replication latency (ms)"
          testId="chart-latency"
          plotted={plotted.latency}
          {...chartState}
        >
          <LineChart data={data.points}>
            {timeGrid}
            {timeAxis}
            <YAxis tickFormatter={(v: number) => formatCount(v)} width={56} />
            <Tooltip
              labelFormatter={(t) => time(Number(t))}
              formatter={(v) => `${formatCount(Number(v))} ms`}
            />
            {legend}
            <Line dataKey="latencyP50Ms" name="p50" stroke={COLORS[2]} {...LINE_STYLE} connectNulls />
            <Line dataKey="latencyP99Ms" name="p99" stroke={COLORS[3]} {...LINE_STYLE} connectNulls />
          </LineChart>
        </Chart>
      </div>
    </section>
  );
}

function Chart({
  title,
  testId,
  plotted,
  points,
  empty,
  loading,
  children,
}: {
  title: string;
  testId: string;
  plotted: { last: number; max: number };
  points: number;
  empty: boolean;
  loading: boolean;
  children: React.ReactElement;
}) {
  return (
    <figure
      className="chart card"
      data-testid={testId}
      data-points={points}
      data-last={Math.round(plotted.last)}
      data-max={Math.round(plotted.max)}
    >
      <figcaption>{title}</figcaption>
      {/* Fixed height: nothing moves when data arrives. */}
      <div className="chart-body">
        {loading ? (
          <p className="muted chart-placeholder">Loading…</p>
        ) : empty ? (
          <p className="muted chart-placeholder">No data yet: points appear every 2 s while the flow runs.</p>
        ) : (
          <ResponsiveContainer width="100%" height="100%">
            {children}
          </ResponsiveContainer>
        )}
      </div>
    </figure>
  );
}
