import { describeAlert, evaluateRule, observe } from "@mirrordeck/alerts";
import type { AlertNotification } from "@mirrordeck/contracts";
import { type Database, listRulesToEvaluate, recordFlowEvent, saveRuleEvaluation } from "@mirrordeck/db";
import type { Redis } from "ioredis";
import { readFlowObservations } from "./flow-observations.ts";

/**
 * One evaluation of every enabled rule (and of disabled ones still firing): reads what the workers reported (Redis) and the flows'
 * states (Postgres), saves each rule's state, and for each rule that fired or resolved records a
 * flow event and hands the notification to `notify`. Returns those notifications.
 */
export async function evaluateAlertRules(input: {
  db: Database;
  redis: Redis;
  notify: (notification: AlertNotification) => Promise<void>;
  now: Date;
}): Promise<AlertNotification[]> {
  const { db, redis, now } = input;
  const rules = await listRulesToEvaluate(db);
  if (rules.length === 0) return [];
  const flows = await readFlowObservations(redis, rules, now.getTime());
  const transitions: AlertNotification[] = [];
  for (const rule of rules) {
    // A rule disabled while firing: its alert is closed (resolved) rather than left open forever.
    const observed = rule.enabled ? observe(rule, flows.get(rule.flowId)!) : { value: null, breached: false };
    const next = evaluateRule(rule, rule, observed, now);
    const lastValue = observed?.value ?? rule.lastValue;
    const saved = await saveRuleEvaluation(db, rule, {
      state: next.state,
      since: next.since,
      lastValue,
      evaluatedAt: now,
    });
    if (!saved || next.transition === null) continue;
    const notification: AlertNotification = {
      status: next.transition,
      flowId: rule.flowId,
      flowName: rule.flow.name,
      ruleId: rule.id,
      kind: rule.kind,
      threshold: rule.threshold,
      forSeconds: rule.forSeconds,
      value: observed?.value ?? null,
      summary: "",
      at: now.toISOString(),
    };
    notification.summary = rule.enabled
      ? describeAlert(notification)
      : `${rule.flow.name}: the alert is closed, its rule was disabled while it fired`;
    await recordFlowEvent(db, rule.flowId, `alert.${next.transition}`, notification.summary, {
      ruleId: rule.id,
      kind: rule.kind,
      threshold: rule.threshold,
      value: notification.value,
    });
    await input.notify(notification);
    transitions.push(notification);
  }
  return transitions;
}
