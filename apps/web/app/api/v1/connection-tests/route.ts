import { draftConnection } from "@/lib/server/clusters/cluster-mapping.ts";
import { testConnection } from "@/lib/server/clusters/test-connection.ts";
import { defineRoute } from "@/lib/server/http/define-route.ts";

export const dynamic = "force-dynamic";

/** Tests connection settings before they are saved; nothing is stored. */
export const POST = defineRoute("clusters.testDraft", async ({ body, audit }) => {
  audit.targetId = body.alias;
  const result = await testConnection(draftConnection(body));
  audit.details = { reachable: result.reachable, bootstrapServers: body.bootstrapServers };
  return Response.json(result);
});
