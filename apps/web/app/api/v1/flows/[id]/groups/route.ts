import { replicatedHeartbeatHealth } from "@mirrordeck/contracts";
import { requireFlow } from "@/lib/server/flows/flow-mapping.ts";
import { defineRoute } from "@/lib/server/http/define-route.ts";
import { flowLeaderStatus } from "@/lib/server/leader-status.ts";

export const dynamic = "force-dynamic";

/**
 * Consumer groups of a flow: per group and partition the source committed offset, the translated
 * target offset, checkpoint age and the lag on each side, as the flow's leader last saw them.
 */
export const GET = defineRoute("flows.groups", async ({ params }) => {
  const { id } = params;
  await requireFlow(id);
  const status = await flowLeaderStatus(id);
  return Response.json({
    flowId: id,
    leader: status?.workerId ?? null,
    reportedAt: status?.at ?? null,
    offsetSyncs: status?.offsetSyncs ?? null,
    checkpoints: status?.checkpoints ?? null,
    heartbeat: { ...replicatedHeartbeatHealth(status, Date.now()), ...(status?.heartbeats ?? {}) },
    groups: status?.groups ?? [],
  });
});
