import { clusterConnection, requireCluster } from "@/lib/server/clusters/cluster-mapping.ts";
import { testConnection } from "@/lib/server/clusters/test-connection.ts";
import { defineRoute } from "@/lib/server/http/define-route.ts";

export const dynamic = "force-dynamic";

/** Connects now (no cache) and reports what the cluster said, or why it could not be reached. */
export const POST = defineRoute("clusters.test", async ({ params, audit }) => {
  audit.targetId = params.alias;
  const result = await testConnection(clusterConnection(await requireCluster(params.alias)));
  audit.details = { reachable: result.reachable };
  return Response.json(result);
});
