import type { FlowObservation } from "@mirrordeck/alerts";
import {
  type FlowMetricsSnapshot,
  type FlowState,
  flowLeaderStatusKey,
  flowLeaderStatusSchema,
  flowMetricsSnapshotSchema,
  summariseFlowSnapshots,
} from "@mirrordeck/contracts";
import type { RuleToEvaluate } from "@mirrordeck/db";
import type { Redis } from "ioredis";

const LATEST_PREFIX = "mirrordeck:metrics-latest:"; // written by MetricsPublisher, per flow and worker

/** What every worker last reported of each rule's flow (one Redis scan for all of them). */
export async function readFlowObservations(
  redis: Redis,
  rules: RuleToEvaluate[],
  now: number,
): Promise<Map<string, FlowObservation>> {
  const snapshots = new Map<string, FlowMetricsSnapshot[]>();
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${LATEST_PREFIX}*`, "COUNT", 500);
    cursor = next;
    const values = keys.length > 0 ? await redis.mget(keys) : [];
    for (const raw of values) {
      if (raw === null) continue;
      const parsed = flowMetricsSnapshotSchema.safeParse(JSON.parse(raw));
      if (!parsed.success) continue;
      const list = snapshots.get(parsed.data.flowId) ?? [];
      list.push(parsed.data);
      snapshots.set(parsed.data.flowId, list);
    }
  } while (cursor !== "0");

  const flows = new Map<string, FlowObservation>();
  for (const rule of rules) {
    if (flows.has(rule.flowId)) continue;
    const raw = await redis.get(flowLeaderStatusKey(rule.flowId));
    const leader = raw === null ? null : flowLeaderStatusSchema.safeParse(JSON.parse(raw));
    const reported = snapshots.get(rule.flowId);
    flows.set(rule.flowId, {
      state: rule.flow.state as FlowState,
      enabled: rule.flow.enabled,
      live: reported ? summariseFlowSnapshots(reported) : null,
      leader: leader?.success ? leader.data : null,
      now,
    });
  }
  return flows;
}
