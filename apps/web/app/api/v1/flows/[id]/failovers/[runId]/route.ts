import { toRunView } from "@/lib/server/failover/failover-service.ts";
import { requireRun } from "@/lib/server/failover/require-run.ts";
import { defineRoute } from "@/lib/server/http/define-route.ts";

export const dynamic = "force-dynamic";

export const GET = defineRoute("flows.failover-run", async ({ params }) =>
  Response.json(toRunView(await requireRun(params.id, params.runId))),
);
