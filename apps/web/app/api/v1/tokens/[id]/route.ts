import { AppError } from "@mirrordeck/contracts";
import { revokeApiToken } from "@mirrordeck/db";
import { database } from "@/lib/server/database.ts";
import { defineRoute } from "@/lib/server/http/define-route.ts";

export const dynamic = "force-dynamic";

export const DELETE = defineRoute("tokens.revoke", async ({ params, audit }) => {
  audit.targetId = params.id;
  if (!(await revokeApiToken(database(), params.id))) {
    throw new AppError("NOT_FOUND", `No active token with id ${params.id}.`);
  }
  return new Response(null, { status: 204 });
});
