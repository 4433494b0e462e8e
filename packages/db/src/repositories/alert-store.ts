import { randomUUID } from "node:crypto";
import type {
  AlertKind,
  AlertRuleInput,
  AlertState,
  WebhookFormat,
  WebhookInput,
} from "@mirrordeck/contracts";
import type { SecretBox } from "@mirrordeck/security";
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
  /** As read: an evaluation is saved only if the rule was not edited since. */
  updatedAt: Date;
  flow: { id: string; name: string; enabled: boolean; state: string };
}

/** A webhook as stored, without its URL (sealed: see `openWebhook`). */
export interface StoredWebhook {
  id: string;
  name: string;
  /** Scheme, host and port of the URL: what may be shown. */
  origin: string;
  format: WebhookFormat;
  enabled: boolean;
  createdAt: Date;
}

/** A webhook with its URL opened, for delivering to it and nothing else. */
export interface OpenedWebhook extends StoredWebhook {
  url: string;
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

/**
 * Replaces a rule's settings. Null when the flow has no such rule. Under the same kind the rule keeps
 * its state, so the next evaluation judges it by the new settings (a firing rule whose new
 * threshold is not breached resolves, with its notification; a disabled firing one is closed the
 * same way); a rule given another kind is a new alert and starts over.
 */
export async function updateAlertRule(
  db: Database,
  flowId: string,
  ruleId: string,
  input: AlertRuleInput,
): Promise<StoredAlertRule | null> {
  const current = await db.alertRule.findFirst({
    where: { id: ruleId, flowId },
    select: { kind: true, enabled: true, state: true },
  });
  if (current === null) return null;
  // Kept only while it goes on meaning the same: a new kind, a rule enabled again, or one disabled
  // before it fired (its PENDING `since` would make it fire at once when enabled) starts over.
  const startOver =
    current.kind !== input.kind ||
    (input.enabled && !current.enabled) ||
    (!input.enabled && current.state !== "FIRING");
  const reset = startOver ? { state: "OK" as const, since: null, lastValue: null } : {};
  const { count } = await db.alertRule.updateMany({
    where: { id: ruleId, flowId },
    data: {
      kind: input.kind,
      threshold: input.kind === "FLOW_ERROR" ? null : input.threshold,
      forSeconds: input.forSeconds,
      enabled: input.enabled,
      ...reset,
    },
  });
  return count === 0 ? null : db.alertRule.findUnique({ where: { id: ruleId } });
}

/** False when the flow has no such rule. */
export async function deleteAlertRule(db: Database, flowId: string, ruleId: string): Promise<boolean> {
  const { count } = await db.alertRule.deleteMany({ where: { id: ruleId, flowId } });
  return count > 0;
}

/** Enabled rules, and disabled ones still firing (their alert is closed at the next evaluation). */
export function listRulesToEvaluate(db: Database): Promise<RuleToEvaluate[]> {
  return db.alertRule.findMany({
    where: { OR: [{ enabled: true }, { state: "FIRING" }] },
    include: { flow: { select: { id: true, name: true, enabled: true, state: true } } },
  });
}

/**
 * Saves an evaluation of `rule` as it was read; false (nothing saved) when the rule was edited or
 * deleted meanwhile: the evaluation judged settings that are gone, and must not notify.
 */
export async function saveRuleEvaluation(
  db: Database,
  rule: { id: string; updatedAt: Date },
  evaluation: { state: AlertState; since: Date | null; lastValue: number | null; evaluatedAt: Date },
): Promise<boolean> {
  const { count } = await db.alertRule.updateMany({
    where: { id: rule.id, updatedAt: rule.updatedAt },
    data: evaluation,
  });
  return count > 0;
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

const WEBHOOK_SHOWN = { id: true, name: true, origin: true, format: true, enabled: true, createdAt: true };

// Binds a sealed URL to its webhook: copied into another row, it does not open.
export const webhookUrlContext = (webhookId: string) => `webhook:${webhookId}:url`;

export function listWebhooks(db: Database): Promise<StoredWebhook[]> {
  return db.webhook.findMany({ select: WEBHOOK_SHOWN, orderBy: { name: "asc" } });
}

/** Stores a webhook with its URL sealed under `box`. */
export function createWebhook(db: Database, input: WebhookInput, box: SecretBox): Promise<StoredWebhook> {
  const id = randomUUID();
  const { url, ...settings } = input;
  return db.webhook.create({
    data: {
      ...settings,
      id,
      origin: new URL(url).origin,
      urlSealed: box.seal(url, webhookUrlContext(id)),
    },
    select: WEBHOOK_SHOWN,
  });
}

export async function deleteWebhook(db: Database, id: string): Promise<boolean> {
  const { count } = await db.webhook.deleteMany({ where: { id } });
  return count > 0;
}

/**
 * The webhook with its URL opened by `box`; null when there is no such webhook.
 * @throws SecurityError SECRET_UNREADABLE when the URL was sealed under another key.
 */
export async function openWebhook(
  db: Database,
  id: string,
  box: () => SecretBox,
): Promise<OpenedWebhook | null> {
  const row = await db.webhook.findUnique({ where: { id } });
  if (row === null) return null;
  const { urlSealed, ...shown } = row;
  return { ...shown, url: isClearUrl(urlSealed) ? urlSealed : box().open(urlSealed, webhookUrlContext(id)) };
}

/**
 * Seals the webhook URLs still stored in clear (rows from before URLs were sealed) under `box`; a
 * worker does it at start. Returns how many it sealed.
 */
export async function sealClearWebhookUrls(db: Database, box: SecretBox): Promise<number> {
  let sealed = 0;
  for (const row of await db.webhook.findMany({ select: { id: true, urlSealed: true } })) {
    if (!isClearUrl(row.urlSealed)) continue;
    // Conditional: a rotation or another worker may have sealed it meanwhile.
    const { count } = await db.webhook.updateMany({
      where: { id: row.id, urlSealed: row.urlSealed },
      data: { urlSealed: box.seal(row.urlSealed, webhookUrlContext(row.id)) },
    });
    sealed += count;
  }
  return sealed;
}

/**
 * Rows written before URLs were sealed hold theirs in clear until a worker with the key starts or a
 * key rotation runs; either seals them. A sealed value never starts with a scheme.
 */
export function isClearUrl(stored: string): boolean {
  return /^https?:\/\//i.test(stored);
}
