import {
  type FlowLiveSummary,
  type FlowMetricsSnapshot,
  flowMetricsSnapshotSchema,
  summariseFlowSnapshots,
} from "@mirrordeck/contracts";
import { readPrefix, sharedRead } from "./shared-read.ts";

const LATEST_PREFIX = "mirrordeck:metrics-latest:"; // per flow and worker, written by the workers

const summaries = new WeakMap<FlowMetricsSnapshot[], FlowLiveSummary>();
/** Parsed snapshots by their JSON: a worker's snapshot is parsed once, not at every read. */
let parsedByRaw = new Map<string, FlowMetricsSnapshot | null>();

/** Every worker's latest snapshot of every flow, read at most once a second. */
function latestSnapshots(): Promise<Map<string, FlowMetricsSnapshot[]>> {
  return sharedRead("metrics-latest", async () => {
    const byFlow = new Map<string, FlowMetricsSnapshot[]>();
    const parsedNow = new Map<string, FlowMetricsSnapshot | null>();
    for (const raw of await readPrefix(LATEST_PREFIX)) {
      let snapshot = parsedByRaw.get(raw);
      if (snapshot === undefined) {
        const parsed = flowMetricsSnapshotSchema.safeParse(JSON.parse(raw));
        snapshot = parsed.success ? parsed.data : null;
      }
      parsedNow.set(raw, snapshot);
      if (snapshot === null) continue;
      const list = byFlow.get(snapshot.flowId) ?? [];
      list.push(snapshot);
      byFlow.set(snapshot.flowId, list);
    }
    parsedByRaw = parsedNow; // only what Redis still holds
    return byFlow;
  });
}

/** The latest snapshot of every worker running part of the flow (they expire after a minute). */
export async function latestFlowSnapshots(flowId: string): Promise<FlowMetricsSnapshot[]> {
  return (await latestSnapshots()).get(flowId) ?? [];
}

export async function flowLiveSummary(flowId: string): Promise<FlowLiveSummary> {
  const snapshots = await latestFlowSnapshots(flowId).catch(() => []);
  let summary = summaries.get(snapshots);
  if (summary === undefined) {
    summary = summariseFlowSnapshots(snapshots);
    summaries.set(snapshots, summary);
  }
  return summary;
}
