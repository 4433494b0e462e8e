"use client";

import { useEffect, useState } from "react";
import type { FlowListItem } from "@/lib/api-client.ts";

export const SERIES_POINTS = 60;

export interface RatePoint {
  t: number;
  recordsPerSec: number;
}

/**
 * A rolling client-side throughput series per flow: one point per refetch of the list (every 5 s),
 * the last 60 kept (5 minutes). Flows that disappear from the list lose their series.
 */
export function useRateSeries(
  items: FlowListItem[] | undefined,
  updatedAt: number,
): Map<string, RatePoint[]> {
  const [series, setSeries] = useState<Map<string, RatePoint[]>>(() => new Map());
  useEffect(() => {
    if (items === undefined || updatedAt === 0) return;
    setSeries((previous) => {
      const next = new Map<string, RatePoint[]>();
      for (const flow of items) {
        const points = previous.get(flow.id) ?? [];
        // Strict mode runs effects twice: one point per fetch.
        if (points.at(-1)?.t === updatedAt) {
          next.set(flow.id, points);
          continue;
        }
        const value = flow.live.workers > 0 ? flow.live.recordsPerSec : 0;
        next.set(flow.id, [...points, { t: updatedAt, recordsPerSec: value }].slice(-SERIES_POINTS));
      }
      return next;
    });
  }, [items, updatedAt]);
  return series;
}
