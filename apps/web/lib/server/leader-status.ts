import { type FlowLeaderStatus, flowLeaderStatusKey, flowLeaderStatusSchema } from "@mirrordeck/contracts";
import { readPrefix, sharedRead } from "./shared-read.ts";

const PREFIX = flowLeaderStatusKey("");

/** Every flow leader's latest status, read at most once a second. */
function leaderStatuses(): Promise<Map<string, FlowLeaderStatus>> {
  return sharedRead("leader-status", async () => {
    const byFlow = new Map<string, FlowLeaderStatus>();
    for (const raw of await readPrefix(PREFIX)) {
      const parsed = flowLeaderStatusSchema.safeParse(JSON.parse(raw));
      if (parsed.success) byFlow.set(parsed.data.flowId, parsed.data);
    }
    return byFlow;
  });
}

/** The latest checkpoint/heartbeat status the flow's leader published, or null. */
export async function flowLeaderStatus(flowId: string): Promise<FlowLeaderStatus | null> {
  const statuses = await leaderStatuses().catch(() => null);
  return statuses?.get(flowId) ?? null;
}
