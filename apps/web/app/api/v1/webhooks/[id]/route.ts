import { AppError } from "@mirrordeck/contracts";
import { deleteWebhook } from "@mirrordeck/db";
import { database } from "@/lib/server/database.ts";
import { defineRoute } from "@/lib/server/http/define-route.ts";

export const dynamic = "force-dynamic";

export const DELETE = defineRoute("webhooks.delete", async ({ params, audit }) => {
  audit.targetId = params.id;
  if (!(await deleteWebhook(database(), params.id))) {
    throw new AppError("NOT_FOUND", `No webhook with id ${params.id}.`, { id: params.id });
  }
  return new Response(null, { status: 204 });
});
