import { webhookBody } from "@mirrordeck/alerts";
import { type AlertNotification, alertDeliveryJobSchema, QueueName } from "@mirrordeck/contracts";
import { type Database, listWebhooks, openWebhook } from "@mirrordeck/db";
import type { SecretBox } from "@mirrordeck/security";
import { Queue, Worker } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "../logger.ts";
import { evaluateAlertRules } from "./alert-evaluation.ts";

/** How often the rules are evaluated (one worker at a time, whichever takes the job). */
export const ALERT_EVALUATION_MS = 5_000;
const WEBHOOK_TIMEOUT_MS = 5_000;
/** 1 s, 2 s, 4 s … about 4 minutes in all, then the delivery is given up (and logged). */
const DELIVERY_ATTEMPTS = 9;

/**
 * Alert rules are evaluated by a repeatable BullMQ job (any one worker runs each tick), and each
 * notification is one delivery job per webhook, retried with exponential back-off by BullMQ.
 * Nothing here runs on the copy path: a slow or failing webhook delays only its own jobs.
 */
export function startAlertJobs(input: {
  db: Database;
  redis: Redis;
  prefix: string;
  log: Logger;
  /** Opens the webhooks' sealed URLs (throws without MIRRORDECK_SECRET_KEY). */
  secrets: () => SecretBox;
}): {
  close: () => Promise<void>;
} {
  const { db, redis, prefix, log } = input;
  const evaluations = new Queue(QueueName.AlertEvaluation, {
    connection: redis,
    prefix,
    defaultJobOptions: { removeOnComplete: 10, removeOnFail: 50 },
  });
  const deliveries = new Queue(QueueName.AlertDelivery, {
    connection: redis,
    prefix,
    defaultJobOptions: {
      removeOnComplete: 500,
      removeOnFail: 500,
      attempts: DELIVERY_ATTEMPTS,
      backoff: { type: "exponential", delay: 1_000 },
    },
  });
  // Idempotent; again every minute, so a Redis that restarted empty gets its schedule back.
  const schedule = () =>
    evaluations
      .upsertJobScheduler("evaluate-alerts", { every: ALERT_EVALUATION_MS }, { name: "evaluate" })
      .catch((error) => log.warn({ err: String(error) }, "alert schedule not set; retrying"));
  void schedule();
  const scheduleTimer = setInterval(() => void schedule(), 60_000);

  const notify = async (notification: AlertNotification) => {
    const hooks = (await listWebhooks(db)).filter((w) => w.enabled);
    await deliveries.addBulk(
      hooks.map((w) => ({ name: "deliver", data: { webhookId: w.id, notification } })),
    );
  };

  const evaluator = new Worker(
    QueueName.AlertEvaluation,
    async () => {
      for (const t of await evaluateAlertRules({ db, redis, notify, now: new Date() })) {
        log.info({ flowId: t.flowId, ruleId: t.ruleId, status: t.status }, t.summary);
      }
    },
    { connection: redis, prefix, concurrency: 1 },
  );
  evaluator.on("failed", (_job, error) => log.warn({ err: String(error) }, "alert evaluation failed"));

  const sender = new Worker(
    QueueName.AlertDelivery,
    async (job) => {
      const { webhookId, notification } = alertDeliveryJobSchema.parse(job.data);
      const webhook = await openWebhook(db, webhookId, input.secrets);
      if (!webhook?.enabled) return "webhook gone";
      const response = await fetch(webhook.url, {
        method: "POST",
        headers: { "content-type": "application/json", "user-agent": "MirrorDeck-alerts" },
        body: JSON.stringify(webhookBody(webhook.format, notification)),
        signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
        redirect: "manual",
      }).catch((error: Error & { cause?: { code?: string; message?: string } }) => {
        // fetch says only "fetch failed"; the reason (ECONNREFUSED, a timeout…) is in its cause.
        const reason = error.cause?.code ?? error.cause?.message ?? error.message;
        throw new Error(`${webhook.name} could not be reached: ${reason}`);
      });
      if (!response.ok) throw new Error(`${webhook.name} answered HTTP ${response.status}`);
      return `HTTP ${response.status}`;
    },
    { connection: redis, prefix, concurrency: 8 },
  );
  sender.on("failed", (job, error) => {
    const last = job !== undefined && job.attemptsMade >= DELIVERY_ATTEMPTS;
    log.warn({ err: String(error), attempt: job?.attemptsMade, givenUp: last }, "webhook delivery failed");
  });

  return {
    close: async () => {
      clearInterval(scheduleTimer);
      await Promise.all([evaluator.close(), sender.close()]);
      await Promise.all([evaluations.close(), deliveries.close()]);
    },
  };
}
