import { type FlowLeaderStatus, flowLeaderStatusKey, flowLeaderStatusSchema } from "@mirrordeck/contracts";
import { redis } from "./redis.ts";

/** The latest checkpoint/heartbeat status the flow's leader published, or null. */
export async function flowLeaderStatus(flowId: string): Promise<FlowLeaderStatus | null> {
  const raw = await redis()
    .get(flowLeaderStatusKey(flowId))
    .catch(() => null);
  if (raw === null) return null;
  const parsed = flowLeaderStatusSchema.safeParse(JSON.parse(raw));
  return parsed.success ? parsed.data : null;
}
