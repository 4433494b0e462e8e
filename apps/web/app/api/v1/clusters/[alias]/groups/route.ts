import { listGroupSummaries } from "@mirrordeck/kafka";
import { clusterConnection, requireCluster } from "@/lib/server/clusters/cluster-mapping.ts";
import { serverEnv } from "@/lib/server/env.ts";
import { defineRoute } from "@/lib/server/http/define-route.ts";

export const dynamic = "force-dynamic";

export const GET = defineRoute("clusters.groups", async ({ params }) => {
  const cluster = clusterConnection(await requireCluster(params.alias));
  const items = await listGroupSummaries(cluster, serverEnv().KAFKA_ADMIN_TIMEOUT_MS * 2);
  return Response.json({ items });
});
