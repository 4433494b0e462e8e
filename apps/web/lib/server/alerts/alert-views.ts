import type { StoredAlertRule, StoredWebhook } from "@mirrordeck/db";

/** A rule as the API shows it. */
export function toAlertRuleView(rule: StoredAlertRule) {
  return {
    id: rule.id,
    kind: rule.kind,
    threshold: rule.threshold,
    forSeconds: rule.forSeconds,
    enabled: rule.enabled,
    state: rule.state,
    since: rule.since?.toISOString() ?? null,
    lastValue: rule.lastValue,
    evaluatedAt: rule.evaluatedAt?.toISOString() ?? null,
  };
}

/**
 * A webhook as the API shows it: its URL by origin only, since a webhook URL (Slack's) is itself
 * a credential.
 */
export function toWebhookView(webhook: StoredWebhook) {
  return {
    id: webhook.id,
    name: webhook.name,
    origin: webhook.origin,
    format: webhook.format,
    enabled: webhook.enabled,
    createdAt: webhook.createdAt.toISOString(),
  };
}
