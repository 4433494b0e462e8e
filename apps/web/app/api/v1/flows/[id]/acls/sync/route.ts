import { AppError, flowSettingsSchema } from "@mirrordeck/contracts";
import { flowDefinitionOf, recordFlowEvent } from "@mirrordeck/db";
import { database } from "@/lib/server/database.ts";
import { syncFlowAclsNow } from "@/lib/server/flows/flow-acls.ts";
import { requireFlow } from "@/lib/server/flows/flow-mapping.ts";
import { defineRoute } from "@/lib/server/http/define-route.ts";

export const dynamic = "force-dynamic";

/**
 * One topic ACL sync round now. A cluster's refusal is the answer (200, `problem` in words), not
 * an error: the operator reads what permission is missing on the tab.
 */
export const POST = defineRoute("flows.aclsSync", async ({ params, principal, audit }) => {
  const flow = await requireFlow(params.id);
  if (!flowSettingsSchema.parse(flow.settings ?? {}).syncTopicAcls) {
    throw new AppError(
      "CONFLICT",
      "Topic ACL sync is off for this flow (sync.topic.acls.enabled=false): turn it on in the flow's settings to sync.",
    );
  }
  const result = await syncFlowAclsNow({ id: flow.id, ...flowDefinitionOf(flow) });
  audit.targetId = flow.id;
  audit.details = { created: result.created, problem: result.problem };
  if (result.problem !== null) {
    await recordFlowEvent(database(), flow.id, "acls.sync-failed", result.problem, {
      by: principal.label,
    });
  } else {
    await recordFlowEvent(
      database(),
      flow.id,
      "acls.synced",
      `${result.created} topic ACL binding(s) created on ${flow.targetCluster.alias} by ${principal.label}`,
      { created: result.created, by: principal.label },
    );
  }
  return Response.json({ ...result, ranAt: new Date().toISOString() });
});
