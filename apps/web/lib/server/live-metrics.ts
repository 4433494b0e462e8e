import {
  type FlowLiveSummary,
  type FlowMetricsSnapshot,
  flowMetricsSnapshotSchema,
  summariseFlowSnapshots,
} from "@mirrordeck/contracts";
import { redis } from "./redis.ts";

/** The latest snapshot of every worker running part of the flow (they expire after a minute). */
export async function latestFlowSnapshots(flowId: string): Promise<FlowMetricsSnapshot[]> {
  const client = redis();
  const keys: string[] = [];
  let cursor = "0";
  do {
    const [next, found] = await client.scan(
      cursor,
      "MATCH",
      `mirrordeck:metrics-latest:${flowId}:*`,
      "COUNT",
      100,
    );
    cursor = next;
    keys.push(...found);
  } while (cursor !== "0");
  if (keys.length === 0) return [];
  const values = await client.mget(keys);
  return values.flatMap((v) => {
    if (!v) return [];
    const parsed = flowMetricsSnapshotSchema.safeParse(JSON.parse(v));
    return parsed.success ? [parsed.data] : [];
  });
}

export async function flowLiveSummary(flowId: string): Promise<FlowLiveSummary> {
  return summariseFlowSnapshots(await latestFlowSnapshots(flowId).catch(() => []));
}
