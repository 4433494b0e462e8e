import { AppError } from "@mirrordeck/contracts";
import { deleteCluster, updateCluster } from "@mirrordeck/db";
import { clusterChanges, requireCluster, toClusterDetail } from "@/lib/server/clusters/cluster-mapping.ts";
import { database } from "@/lib/server/database.ts";
import { defineRoute } from "@/lib/server/http/define-route.ts";

export const dynamic = "force-dynamic";

export const GET = defineRoute("clusters.get", async ({ params }) => {
  return Response.json(toClusterDetail(await requireCluster(params.alias)));
});

export const PATCH = defineRoute("clusters.update", async ({ params, body, audit }) => {
  audit.targetId = params.alias;
  const current = await requireCluster(params.alias);
  const changes = clusterChanges(current, body);
  const result = await updateCluster(database(), params.alias, body.version, changes);
  if (!result.ok) {
    if (result.reason === "stale-version") {
      throw new AppError(
        "STALE_VERSION",
        `Cluster ${params.alias} changed since you read it (you sent version ${body.version}, it is now ${result.currentVersion}). Reload and apply your change again.`,
        { currentVersion: result.currentVersion },
      );
    }
    throw new AppError("NOT_FOUND", `No cluster with alias ${params.alias}.`);
  }
  // Which fields changed, never their values: some are secrets.
  audit.details = { changed: Object.keys(changes), version: result.cluster.version };
  return Response.json(toClusterDetail(result.cluster));
});

export const DELETE = defineRoute("clusters.delete", async ({ params, audit }) => {
  audit.targetId = params.alias;
  const result = await deleteCluster(database(), params.alias);
  if (!result.ok) {
    if (result.reason === "in-use") {
      throw new AppError(
        "IN_USE",
        `Cluster ${params.alias} is used by flow(s) ${result.flows?.join(", ")}; delete those flows first.`,
        { flows: result.flows },
      );
    }
    throw new AppError("NOT_FOUND", `No cluster with alias ${params.alias}.`);
  }
  return new Response(null, { status: 204 });
});
