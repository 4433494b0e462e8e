import { createAlertRule, listAlertRules } from "@mirrordeck/db";
import { toAlertRuleView } from "@/lib/server/alerts/alert-views.ts";
import { database } from "@/lib/server/database.ts";
import { requireFlow } from "@/lib/server/flows/flow-mapping.ts";
import { defineRoute } from "@/lib/server/http/define-route.ts";

export const dynamic = "force-dynamic";

export const GET = defineRoute("alerts.list", async ({ params }) => {
  await requireFlow(params.id);
  const rules = await listAlertRules(database(), params.id);
  return Response.json({ items: rules.map(toAlertRuleView) });
});

export const POST = defineRoute("alerts.create", async ({ params, body, audit }) => {
  await requireFlow(params.id);
  const rule = await createAlertRule(database(), params.id, body);
  audit.targetId = params.id;
  audit.details = {
    ruleId: rule.id,
    kind: rule.kind,
    threshold: rule.threshold,
    forSeconds: rule.forSeconds,
  };
  return Response.json(toAlertRuleView(rule), { status: 201 });
});
