"use client";

import type { FailoverRunView } from "@mirrordeck/contracts";
import { type QueryClient, useQuery } from "@tanstack/react-query";
import { api } from "./api-client.ts";

/** Readiness of a flow to fail over; the server observes both clusters and caches it for 3 s. */
export function useReadiness(flowId: string) {
  return useQuery({
    queryKey: ["readiness", flowId],
    queryFn: () => api.readiness(flowId),
    refetchInterval: 5_000,
  });
}

/** The flow's failover runs, newest first; every second while one runs, else every 10 s. */
export function useFailoverRuns(flowId: string) {
  return useQuery({
    queryKey: ["failovers", flowId],
    queryFn: () => api.failovers(flowId),
    refetchInterval: (query) => (query.state.data?.items[0]?.state === "RUNNING" ? 1_000 : 10_000),
  });
}

/** How often to look at a run again: it can change until it ends and its loss is known. */
function runPollMs(run: FailoverRunView | undefined): number | false {
  if (run === undefined) return false;
  // The worker advances a running run about once a second.
  if (run.state === "RUNNING") return 1_000;
  // After an unplanned failover the real loss is measured once the old source answers again.
  if (run.state === "SUCCEEDED" && run.mode === "unplanned" && !run.report.actualLoss) return 5_000;
  return false;
}

/** One run, with its steps and report. */
export function useFailoverRun(flowId: string, runId: string) {
  return useQuery({
    queryKey: ["failover-run", flowId, runId],
    queryFn: () => api.failoverRun(flowId, runId),
    refetchInterval: (query) => runPollMs(query.state.data),
  });
}

/** After a run starts, ends or is cancelled: everything on the flow's pages that it changes. */
export function refreshAfterFailover(client: QueryClient, flowId: string): void {
  for (const key of ["readiness", "failovers", "flow", "flow-events"]) {
    void client.invalidateQueries({ queryKey: [key, flowId] });
  }
}
