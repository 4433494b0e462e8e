import { AppError, replicatedHeartbeatHealth } from "@mirrordeck/contracts";
import { countFiringAlerts, findClusterByAlias, listFlows } from "@mirrordeck/db";
import { database } from "@/lib/server/database.ts";
import { createFlow } from "@/lib/server/flows/create-flow.ts";
import { toFlowDetail } from "@/lib/server/flows/flow-mapping.ts";
import { defineRoute } from "@/lib/server/http/define-route.ts";
import { flowLeaderStatus } from "@/lib/server/leader-status.ts";
import { flowLiveSummary } from "@/lib/server/live-metrics.ts";
import { sharedRead } from "@/lib/server/shared-read.ts";

export const dynamic = "force-dynamic";

/**
 * Every flow with its live figures. The figures change once a second (the workers' snapshots), so
 * the rows are built at most once a second however many operators have the list open; a write
 * through this process drops them at once.
 */
async function flowRows() {
  const [flows, firing] = await Promise.all([listFlows(database()), countFiringAlerts(database())]);
  const now = Date.now();
  return JSON.stringify({
    items: await Promise.all(
      flows.map(async (f) => ({
        ...toFlowDetail(f),
        live: await flowLiveSummary(f.id),
        // Heartbeats that crossed the data plane: a flow whose heartbeats stop arriving on the
        // target is unhealthy even when its workers report nothing wrong.
        heartbeat: f.enabled ? replicatedHeartbeatHealth(await flowLeaderStatus(f.id), now) : null,
        firingAlerts: firing.get(f.id) ?? 0,
      })),
    ),
  });
}

export const GET = defineRoute(
  "flows.list",
  async () =>
    new Response(await sharedRead("flows-list", flowRows), {
      headers: { "content-type": "application/json" },
    }),
);

export const POST = defineRoute("flows.create", async ({ body, principal, audit }) => {
  const db = database();
  const [source, target] = await Promise.all([
    findClusterByAlias(db, body.sourceAlias),
    findClusterByAlias(db, body.targetAlias),
  ]);
  for (const [field, alias, cluster] of [
    ["sourceAlias", body.sourceAlias, source],
    ["targetAlias", body.targetAlias, target],
  ] as const) {
    if (cluster === null) {
      throw new AppError("VALIDATION_FAILED", `${field}: no cluster is registered as ${alias}.`, {
        issues: [{ path: `body.${field}`, message: `no cluster is registered as ${alias}` }],
      });
    }
  }
  if (source === null || target === null) throw new AppError("INTERNAL", "unreachable");
  const flow = await createFlow(
    body,
    { sourceClusterId: source.id, targetClusterId: target.id },
    principal.label,
  );
  audit.targetId = flow.id;
  audit.details = {
    name: flow.name,
    source: body.sourceAlias,
    target: body.targetAlias,
    enabled: flow.enabled,
  };
  return Response.json(toFlowDetail(flow), {
    status: 201,
    headers: { location: `/api/v1/flows/${flow.id}` },
  });
});
