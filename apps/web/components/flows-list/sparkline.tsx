"use client";

import { Line, LineChart, YAxis } from "recharts";
import { formatRate } from "@/lib/format.ts";
import type { RatePoint } from "./use-rate-series.ts";

const WIDTH = 120;
const HEIGHT = 32;

/** Throughput over the last minutes, fixed size so the table never moves as points arrive. */
export function Sparkline({ points, label }: { points: RatePoint[]; label: string }) {
  const latest = points.at(-1)?.recordsPerSec ?? 0;
  const peak = points.reduce((max, p) => Math.max(max, p.recordsPerSec), 0);
  const description =
    points.length < 2
      ? `${label}: collecting throughput`
      : `${label}: throughput over the last ${Math.round((points.length * 5) / 60) || 1} min, now ${formatRate(latest)}, peak ${formatRate(peak)}`;
  return (
    <span className="fl-spark" role="img" aria-label={description} data-testid="flow-sparkline">
      {points.length < 2 ? (
        <span className="fl-spark-empty" aria-hidden="true" />
      ) : (
        <LineChart
          width={WIDTH}
          height={HEIGHT}
          data={points}
          margin={{ top: 3, right: 2, bottom: 3, left: 2 }}
          accessibilityLayer={false}
        >
          <YAxis hide domain={[0, (max: number) => Math.max(max, 1)]} />
          <Line
            type="monotone"
            dataKey="recordsPerSec"
            stroke="currentColor"
            strokeWidth={1.5}
            dot={false}
            isAnimationActive={false}
          />
        </LineChart>
      )}
    </span>
  );
}
