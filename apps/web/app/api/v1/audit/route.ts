import { listAudit } from "@mirrordeck/db";
import { database } from "@/lib/server/database.ts";
import { defineRoute } from "@/lib/server/http/define-route.ts";

export const dynamic = "force-dynamic";

export const GET = defineRoute("audit.list", async ({ query }) => {
  const rows = await listAudit(database(), {
    limit: query.limit,
    ...(query.before !== undefined && { beforeId: BigInt(query.before) }),
  });
  return Response.json({
    items: rows.map((r) => ({
      id: Number(r.id),
      at: r.at.toISOString(),
      actor: r.actor,
      action: r.action,
      targetType: r.targetType,
      targetId: r.targetId,
      requestId: r.requestId,
      outcome: r.outcome,
      details: r.details,
    })),
  });
});
