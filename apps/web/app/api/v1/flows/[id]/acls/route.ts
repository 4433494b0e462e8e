import { flowDefinitionOf } from "@mirrordeck/db";
import { flowAclView } from "@/lib/server/flows/flow-acls.ts";
import { requireFlow } from "@/lib/server/flows/flow-mapping.ts";
import { defineRoute } from "@/lib/server/http/define-route.ts";

export const dynamic = "force-dynamic";

/** Read from both clusters on every request: what an operator compares must be current. */
export const GET = defineRoute("flows.acls", async ({ params }) => {
  const flow = await requireFlow(params.id);
  return Response.json(await flowAclView({ id: flow.id, ...flowDefinitionOf(flow) }));
});
