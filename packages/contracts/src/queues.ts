import { z } from "zod";

/** BullMQ queue names shared by the web app (producer) and the workers (consumers). */
export const QueueName = {
  FlowLifecycle: "flow-lifecycle",
  /** One job per failover step; a waiting step re-queues itself with a delay. */
  Failover: "failover",
  /** A repeatable job: one worker evaluates every flow's alert rules. */
  AlertEvaluation: "alert-evaluation",
  /** One job per webhook and notification, retried with back-off on its own. */
  AlertDelivery: "alert-delivery",
} as const;

/** Payload of a flow lifecycle job: what the operator asked for one flow. */
export const flowLifecycleJobSchema = z.object({
  flowId: z.string().uuid(),
  action: z.enum(["start", "pause", "resume", "reconfigure", "delete"]),
  requestedBy: z.string().min(1),
  requestedAt: z.string().datetime(),
});
export type FlowLifecycleJob = z.infer<typeof flowLifecycleJobSchema>;

/** Redis key prefix under which each live worker keeps a short-lived presence record. */
export const WORKER_PRESENCE_PREFIX = "mirrordeck:worker:";

/** Redis pub/sub channel on which workers hear that flows changed and must reconcile. */
export const FLOWS_CHANGED_CHANNEL = "mirrordeck:flows-changed";
