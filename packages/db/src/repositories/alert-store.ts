import type {
  AlertKind,
  AlertRuleInput,
  AlertState,
  WebhookFormat,
  WebhookInput,
} from "@mirrordeck/contracts";
import type { Database } from "../client.ts";

export interface StoredAlertRule {
  id: string;
  flowId: string;
  kind: AlertKind;
  threshold: number | null;
  forSeconds: number;
  enabled: boolean;
  state: AlertState;
  since: Date | null;
  lastValue: number | null;
  evaluatedAt: Date | null;
}

/** A rule to evaluate, with what the evaluator needs to know of its flow. */
export interface RuleToEvaluate extends StoredAlertRule {
  flow: { id: string; name: string; enabled: boolean; state: string };
}

export interface StoredWebhook {
  id: string;
  name: string;
  url: string;
  format: WebhookFormat;
  enabled: boolean;
  createdAt: Date;
}

export function listAlertRules(db: Database, flowId: string): Promise<StoredAlertRule[]> {
  return db.alertRule.findMany({ where: { flowId }, orderBy: { createdAt: "asc" } });
}

export function createAlertRule(
  db: Database,
  flowId: string,
  input: AlertRuleInput,
): Promise<StoredAlertRule> {
  return db.alertRule.create({
    data: {
      flowId,
      kind: input.kind,
      threshold: input.kind === "FLOW_ERROR" ? null : input.threshold,
      forSeconds: input.forSeconds,
      enabled: input.enabled,
    },
  });
}

/** Replaces a rule's settings; its state starts over. Null when the flow has no such rule. */
export async function updateAlertRule(
  db: Database,
  flowId: string,
  ruleId: string,
  input: AlertRuleInput,
): Promise<StoredAlertRule | null> {
  const { count } = await db.alertRule.updateMany({
    where: { id: ruleId, flowId },
    data: {
      kind: input.kind,
      threshold: input.kind === "FLOW_ERROR" ? null : input.threshold,
      forSeconds: input.forSeconds,
      enabled: input.enabled,
      state: "OK",
      since: null,
      lastValue: null,
    },
  });
  return count === 0 ? null : db.alertRule.findUnique({ where: { id: ruleId } });
}

/** False when the flow has no such rule. */
export async function deleteAlertRule(db: Database, flowId: string, ruleId: string): Promise<boolean> {
  const { count } = await db.alertRule.deleteMany({ where: { id: ruleId, flowId } });
  return count > 0;
}

export function listRulesToEvaluate(db: Database): Promise<RuleToEvaluate[]> {
  return db.alertRule.findMany({
    where: { enabled: true },
    include: { flow: { select: { id: true, name: true, enabled: true, state: true } } },
  });
}

export async function saveRuleEvaluation(
  db: Database,
  ruleId: string,
  evaluation: { state: AlertState; since: Date | null; lastValue: number | null; evaluatedAt: Date },
): Promise<void> {
  await db.alertRule.updateMany({ where: { id: ruleId }, data: evaluation });
}

/** Firing rules per flow id (flows without any are absent). */
export async function countFiringAlerts(db: Database): Promise<Map<string, number>> {
  const rows = await db.alertRule.groupBy({
    by: ["flowId"],
    where: { state: "FIRING", enabled: true },
    _count: { _all: true },
  });
  return new Map(rows.map((r) => [r.flowId, r._count._all]));
}

export function listWebhooks(db: Database): Promise<StoredWebhook[]> {
  return db.webhook.findMany({ orderBy: { name: "asc" } });
}

export function createWebhook(db: Database, input: WebhookInput): Promise<StoredWebhook> {
  return db.webhook.create({ data: input });
}

export async function deleteWebhook(db: Database, id: string): Promise<boolean> {
  const { count } = await db.webhook.deleteMany({ where: { id } });
  return count > 0;
}

export function findWebhook(db: Database, id: string): Promise<StoredWebhook | null> {
  return db.webhook.findUnique({ where: { id } });
}
