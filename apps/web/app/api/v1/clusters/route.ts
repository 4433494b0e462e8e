import { randomUUID } from "node:crypto";
import { AppError } from "@mirrordeck/contracts";
import { createCluster, findClusterByAlias, listClusters } from "@mirrordeck/db";
import { cachedClusterHealth } from "@/lib/server/cluster-health-cache.ts";
import { newClusterRecord, toClusterDetail } from "@/lib/server/clusters/cluster-mapping.ts";
import { database } from "@/lib/server/database.ts";
import { defineRoute } from "@/lib/server/http/define-route.ts";

export const dynamic = "force-dynamic";

export const GET = defineRoute("clusters.list", async () => {
  const clusters = await listClusters(database());
  const items = await Promise.all(
    clusters.map(async (c) => ({ ...toClusterDetail(c), health: await cachedClusterHealth(c) })),
  );
  return Response.json({ items });
});

export const POST = defineRoute("clusters.create", async ({ body, audit }) => {
  audit.targetId = body.alias;
  if ((await findClusterByAlias(database(), body.alias)) !== null) {
    throw new AppError("CONFLICT", `A cluster with alias ${body.alias} exists already.`, {
      alias: body.alias,
    });
  }
  const id = randomUUID();
  const cluster = await createCluster(database(), id, body.alias, newClusterRecord(id, body));
  audit.details = { bootstrapServers: body.bootstrapServers, securityProtocol: body.securityProtocol };
  return Response.json(toClusterDetail(cluster), {
    status: 201,
    headers: { location: `/api/v1/clusters/${body.alias}` },
  });
});
