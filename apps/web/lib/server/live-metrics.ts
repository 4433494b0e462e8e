import {
  type FlowLiveSummary,
  type FlowMetricsSnapshot,
  flowMetricsSnapshotSchema,
  summariseFlowSnapshots,
} from "@mirrordeck/contracts";
import { redis } from "./redis.ts";

const LATEST_PREFIX = "mirrordeck:metrics-latest:"; // per flow and worker, written by the workers
/** Workers publish every few seconds; a read this fresh serves every list, detail and stream. */
const FRESH_MS = 1_000;

interface LatestSnapshots {
  readAt: number;
  byFlow: Promise<Map<string, FlowMetricsSnapshot[]>>;
}

// On globalThis: Next bundles each route apart, and they should share one read.
const shared = globalThis as unknown as { mirrordeckLatestSnapshots?: LatestSnapshots };
const summaries = new WeakMap<FlowMetricsSnapshot[], FlowLiveSummary>();

/**
 * Every worker's latest snapshot of every flow: one SCAN and one MGET at most once a second, however
 * many requests and live streams ask (fifty flows in a list, a thousand-topic snapshot parsed once).
 */
function latestSnapshots(): Promise<Map<string, FlowMetricsSnapshot[]>> {
  const cached = shared.mirrordeckLatestSnapshots;
  if (cached !== undefined && Date.now() - cached.readAt < FRESH_MS) return cached.byFlow;
  const entry: LatestSnapshots = { readAt: Date.now(), byFlow: readLatestSnapshots() };
  shared.mirrordeckLatestSnapshots = entry;
  entry.byFlow.catch(() => {
    if (shared.mirrordeckLatestSnapshots === entry) shared.mirrordeckLatestSnapshots = undefined;
  });
  return entry.byFlow;
}

async function readLatestSnapshots(): Promise<Map<string, FlowMetricsSnapshot[]>> {
  const client = redis();
  const keys: string[] = [];
  let cursor = "0";
  do {
    const [next, found] = await client.scan(cursor, "MATCH", `${LATEST_PREFIX}*`, "COUNT", 1_000);
    cursor = next;
    keys.push(...found);
  } while (cursor !== "0");
  const byFlow = new Map<string, FlowMetricsSnapshot[]>();
  if (keys.length === 0) return byFlow;
  for (const raw of await client.mget(keys)) {
    if (!raw) continue;
    const parsed = flowMetricsSnapshotSchema.safeParse(JSON.parse(raw));
    if (!parsed.success) continue;
    const list = byFlow.get(parsed.data.flowId) ?? [];
    list.push(parsed.data);
    byFlow.set(parsed.data.flowId, list);
  }
  return byFlow;
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
