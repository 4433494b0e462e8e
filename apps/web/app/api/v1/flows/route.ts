import { replicatedHeartbeatHealth } from "@mirrordeck/contracts";
import { listFlows } from "@mirrordeck/db";
import { apiRoute } from "@/lib/server/api-route.ts";
import { database } from "@/lib/server/database.ts";
import { flowLeaderStatus } from "@/lib/server/leader-status.ts";
import { flowLiveSummary } from "@/lib/server/live-metrics.ts";

export const dynamic = "force-dynamic";

export const GET = apiRoute(async () => {
  const flows = await listFlows(database());
  const now = Date.now();
  const items = await Promise.all(
    flows.map(async (f) => ({
      id: f.id,
      name: f.name,
      sourceAlias: f.sourceCluster.alias,
      targetAlias: f.targetCluster.alias,
      enabled: f.enabled,
      topicsInclude: f.topicsInclude,
      topicsExclude: f.topicsExclude,
      replicationPolicy: f.replicationPolicy,
      state: f.state,
      stateReason: f.stateReason,
      version: f.version,
      live: await flowLiveSummary(f.id),
      // Heartbeats that crossed the data plane: a flow whose heartbeats stop arriving on the
      // target is unhealthy even when its workers report nothing wrong.
      heartbeat: f.enabled ? replicatedHeartbeatHealth(await flowLeaderStatus(f.id), now) : null,
    })),
  );
  return Response.json({ items });
});
