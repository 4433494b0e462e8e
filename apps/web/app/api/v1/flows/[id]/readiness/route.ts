import { observeReadiness } from "@mirrordeck/failover";
import { cachedReadiness, withFailoverContext } from "@/lib/server/failover/failover-service.ts";
import { defineRoute } from "@/lib/server/http/define-route.ts";

export const dynamic = "force-dynamic";

export const GET = defineRoute("flows.readiness", async ({ params }) =>
  Response.json(await cachedReadiness(params.id, () => withFailoverContext(params.id, observeReadiness))),
);
