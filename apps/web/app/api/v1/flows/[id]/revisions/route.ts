import { listFlowRevisions } from "@mirrordeck/db";
import { database } from "@/lib/server/database.ts";
import { requireFlow } from "@/lib/server/flows/flow-mapping.ts";
import { defineRoute } from "@/lib/server/http/define-route.ts";

export const dynamic = "force-dynamic";

export const GET = defineRoute("flows.revisions", async ({ params }) => {
  await requireFlow(params.id);
  const revisions = await listFlowRevisions(database(), params.id);
  return Response.json({
    items: revisions.map((r) => ({
      version: r.version,
      actor: r.actor,
      at: r.createdAt.toISOString(),
      diff: r.diff,
      snapshot: r.snapshot,
    })),
  });
});
