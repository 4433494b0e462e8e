import { z } from "zod";

/** What an alert rule watches; each compares one number of the flow with its threshold. */
export const alertKindSchema = z.enum([
  "LAG_RECORDS", // records behind, summed over the flow's partitions
  "LAG_SECONDS", // worst partition's lag in seconds
  "HEARTBEAT_AGE", // seconds since the newest source heartbeat replicated onto the target
  "CHECKPOINT_STALE", // seconds since the flow's last checkpoint run
  "FLOW_ERROR", // the flow is in ERROR (no threshold)
  "TOPIC_DRIFT", // remote topics out of step with their source topic (missing, too small, configs)
]);
export type AlertKind = z.infer<typeof alertKindSchema>;

/** The unit of each kind's threshold, in words (UI, notifications). */
export const ALERT_KIND_UNITS: Record<AlertKind, string> = {
  LAG_RECORDS: "records",
  LAG_SECONDS: "seconds",
  HEARTBEAT_AGE: "seconds",
  CHECKPOINT_STALE: "seconds",
  FLOW_ERROR: "",
  TOPIC_DRIFT: "topics",
};

export const alertRuleInputSchema = z
  .strictObject({
    kind: alertKindSchema,
    /** Fires when the value is above it; ignored (null) for FLOW_ERROR. */
    threshold: z.number().min(0, "must be 0 or more").max(1e15).nullable().default(null),
    /** The condition must hold this long before the rule fires (T). */
    forSeconds: z.number().int().min(0).max(86_400).default(60),
    enabled: z.boolean().default(true),
  })
  .refine((r) => r.kind === "FLOW_ERROR" || r.threshold !== null, {
    message: "a threshold is needed for this kind of rule",
    path: ["threshold"],
  });
export type AlertRuleInput = z.infer<typeof alertRuleInputSchema>;

export const alertRuleParamSchema = z.strictObject({
  id: z.uuid("not a valid id"),
  ruleId: z.uuid("not a valid id"),
});

export const alertStateSchema = z.enum(["OK", "PENDING", "FIRING"]);
export type AlertState = z.infer<typeof alertStateSchema>;

export const webhookFormatSchema = z.enum(["GENERIC", "SLACK"]);
export type WebhookFormat = z.infer<typeof webhookFormatSchema>;

export const webhookInputSchema = z.strictObject({
  name: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .regex(/^[^<>"'`]+$/, "no markup or quotes"),
  url: z.url({ protocol: /^https?$/, error: "must be an http:// or https:// URL" }).max(2_000),
  format: webhookFormatSchema.default("GENERIC"),
  enabled: z.boolean().default(true),
});
export type WebhookInput = z.infer<typeof webhookInputSchema>;

/** What a webhook receives when a rule fires or resolves (GENERIC format). */
export interface AlertNotification {
  status: "firing" | "resolved";
  flowId: string;
  flowName: string;
  ruleId: string;
  kind: AlertKind;
  threshold: number | null;
  forSeconds: number;
  /** The value that crossed the threshold (or came back under it); null for FLOW_ERROR. */
  value: number | null;
  /** In words, e.g. "orders east→west: lag 12,000 records is above 10,000 for 60 s". */
  summary: string;
  at: string;
}

/** Payload of an alert notification delivery job (one per webhook). */
export const alertDeliveryJobSchema = z.object({
  webhookId: z.string(),
  notification: z.custom<AlertNotification>(),
});
