import { listFailoverRuns } from "@mirrordeck/db";
import { database } from "@/lib/server/database.ts";
import { toRunView } from "@/lib/server/failover/failover-service.ts";
import { requireFlow } from "@/lib/server/flows/flow-mapping.ts";
import { defineRoute } from "@/lib/server/http/define-route.ts";

export const dynamic = "force-dynamic";

export const GET = defineRoute("flows.failovers", async ({ params }) => {
  await requireFlow(params.id);
  const runs = await listFailoverRuns(database(), params.id);
  return Response.json({ items: runs.map(toRunView) });
});
