import { AppError, replicatedHeartbeatHealth } from "@mirrordeck/contracts";
import { findFlow } from "@mirrordeck/db";
import { apiRoute } from "@/lib/server/api-route.ts";
import { database } from "@/lib/server/database.ts";
import { flowLeaderStatus } from "@/lib/server/leader-status.ts";

export const dynamic = "force-dynamic";

/**
 * Consumer groups of a flow: per group and partition the source committed offset, the translated
 * target offset, checkpoint age and the lag on each side, as the flow's leader last saw them.
 */
export const GET = apiRoute(async (_request: Request, context: { params: Promise<{ id: string }> }) => {
  const { id } = await context.params;
  const flow = await findFlow(database(), id).catch(() => null);
  if (flow === null) throw new AppError("NOT_FOUND", `No flow with id ${id}.`);
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
