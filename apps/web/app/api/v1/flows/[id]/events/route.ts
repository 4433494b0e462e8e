import { listFlowEvents } from "@mirrordeck/db";
import { database } from "@/lib/server/database.ts";
import { requireFlow } from "@/lib/server/flows/flow-mapping.ts";
import { defineRoute } from "@/lib/server/http/define-route.ts";

export const dynamic = "force-dynamic";

export const GET = defineRoute("flows.events", async ({ params }) => {
  await requireFlow(params.id);
  const events = await listFlowEvents(database(), params.id, 200);
  return Response.json({
    items: events.map((e) => ({
      id: e.id.toString(),
      kind: e.kind,
      message: e.message,
      details: e.details,
      at: e.createdAt.toISOString(),
    })),
  });
});
