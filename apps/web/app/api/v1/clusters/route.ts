import { listClusters } from "@mirrordeck/db";
import { apiRoute } from "@/lib/server/api-route.ts";
import { cachedClusterHealth } from "@/lib/server/cluster-health-cache.ts";
import { database } from "@/lib/server/database.ts";

export const dynamic = "force-dynamic";

export const GET = apiRoute(async () => {
  const clusters = await listClusters(database());
  const items = await Promise.all(
    clusters.map(async (c) => ({
      id: c.id,
      alias: c.alias,
      bootstrapServers: c.bootstrapServers,
      securityProtocol: c.securityProtocol,
      createdAt: c.createdAt.toISOString(),
      health: await cachedClusterHealth(c.alias, c.bootstrapServers),
    })),
  );
  return Response.json({ items });
});
