import { deleteSession } from "@mirrordeck/db";
import { database } from "@/lib/server/database.ts";
import { defineRoute } from "@/lib/server/http/define-route.ts";
import { sessionCookies } from "@/lib/server/http/session-cookies.ts";

export const dynamic = "force-dynamic";

export const POST = defineRoute("auth.logout", async ({ request, authentication, principal, audit }) => {
  audit.targetId = principal.id;
  if (authentication?.via === "cookie") await deleteSession(database(), authentication.sessionId);
  const response = new Response(null, { status: 204 });
  for (const cookie of sessionCookies(request, null)) response.headers.append("set-cookie", cookie);
  return response;
});
