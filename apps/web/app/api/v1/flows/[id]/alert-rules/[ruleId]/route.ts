import { AppError } from "@mirrordeck/contracts";
import { deleteAlertRule, updateAlertRule } from "@mirrordeck/db";
import { toAlertRuleView } from "@/lib/server/alerts/alert-views.ts";
import { database } from "@/lib/server/database.ts";
import { defineRoute } from "@/lib/server/http/define-route.ts";

export const dynamic = "force-dynamic";

const noRule = (flowId: string, ruleId: string) =>
  new AppError("NOT_FOUND", `Flow ${flowId} has no alert rule ${ruleId}.`, { id: flowId, ruleId });

export const PATCH = defineRoute("alerts.update", async ({ params, body, audit }) => {
  const rule = await updateAlertRule(database(), params.id, params.ruleId, body);
  if (rule === null) throw noRule(params.id, params.ruleId);
  audit.targetId = params.id;
  audit.details = {
    ruleId: rule.id,
    kind: rule.kind,
    threshold: rule.threshold,
    forSeconds: rule.forSeconds,
  };
  return Response.json(toAlertRuleView(rule));
});

export const DELETE = defineRoute("alerts.delete", async ({ params, audit }) => {
  if (!(await deleteAlertRule(database(), params.id, params.ruleId))) throw noRule(params.id, params.ruleId);
  audit.targetId = params.id;
  audit.details = { ruleId: params.ruleId };
  return new Response(null, { status: 204 });
});
