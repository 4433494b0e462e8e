import {
  ALERT_KIND_UNITS,
  type AlertKind,
  type AlertNotification,
  type WebhookFormat,
} from "@mirrordeck/contracts";

const WORDS: Record<AlertKind, string> = {
  LAG_RECORDS: "lag",
  LAG_SECONDS: "lag",
  HEARTBEAT_AGE: "heartbeat age",
  CHECKPOINT_STALE: "time since the last checkpoint",
  FLOW_ERROR: "flow state",
  TOPIC_DRIFT: "target topics drifting",
};

const number = (n: number) => n.toLocaleString("en-US", { maximumFractionDigits: 1 });

/** The rule and what it saw, in one sentence. */
export function describeAlert(
  n: Pick<AlertNotification, "status" | "flowName" | "kind" | "threshold" | "forSeconds" | "value">,
): string {
  const unit = ALERT_KIND_UNITS[n.kind];
  if (n.kind === "FLOW_ERROR") {
    return n.status === "firing"
      ? `${n.flowName}: the flow is in ERROR (for ${n.forSeconds} s or more)`
      : `${n.flowName}: the flow is out of ERROR`;
  }
  if (n.kind === "TOPIC_DRIFT") {
    const count = n.value === null ? "" : ` (${number(n.value)})`;
    return n.status === "firing"
      ? `${n.flowName}: more than ${number(n.threshold ?? 0)} target topics out of step with their source${count} for ${n.forSeconds} s or more`
      : `${n.flowName}: target topics back in step with their source${count}`;
  }
  const seen = n.value === null ? "" : `${WORDS[n.kind]} ${number(n.value)} ${unit} `;
  return n.status === "firing"
    ? `${n.flowName}: ${seen}is above ${number(n.threshold ?? 0)} ${unit} for ${n.forSeconds} s or more`
    : `${n.flowName}: ${seen}is back under ${number(n.threshold ?? 0)} ${unit}`;
}

/** The HTTP body a webhook of `format` gets. */
export function webhookBody(format: WebhookFormat, n: AlertNotification): unknown {
  if (format === "GENERIC") return n;
  // Slack incoming webhooks (and compatible receivers: Mattermost, Rocket.Chat) take `text`.
  const icon = n.status === "firing" ? ":rotating_light:" : ":white_check_mark:";
  return {
    text: `${icon} [${n.status.toUpperCase()}] ${n.summary}`,
    attachments: [
      {
        color: n.status === "firing" ? "danger" : "good",
        fields: [
          { title: "Rule", value: n.kind, short: true },
          { title: "Flow", value: n.flowName, short: true },
        ],
        ts: Math.floor(Date.parse(n.at) / 1000),
      },
    ],
  };
}
