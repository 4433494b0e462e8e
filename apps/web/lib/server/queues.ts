import {
  type FailoverStepJob,
  FLOWS_CHANGED_CHANNEL,
  type FlowLifecycleJob,
  QueueName,
} from "@mirrordeck/contracts";
import { Queue } from "bullmq";
import { serverEnv } from "./env.ts";
import { redis } from "./redis.ts";

const globalForQueues = globalThis as unknown as {
  mirrordeckLifecycleQueue?: Queue;
  mirrordeckFailoverQueue?: Queue;
};

function lifecycleQueue(): Queue {
  globalForQueues.mirrordeckLifecycleQueue ??= new Queue(QueueName.FlowLifecycle, {
    connection: redis(),
    prefix: serverEnv().MIRRORDECK_QUEUE_PREFIX,
    defaultJobOptions: {
      attempts: 5,
      backoff: { type: "exponential", delay: 1_000 },
      removeOnComplete: 1_000,
      removeOnFail: 1_000,
    },
  });
  return globalForQueues.mirrordeckLifecycleQueue;
}

/** Hands an operator's request to the workers; returns the job id. */
export async function enqueueLifecycle(job: FlowLifecycleJob): Promise<string> {
  const added = await lifecycleQueue().add(job.action, job);
  return added.id ?? "";
}

/** Tells every worker to reconcile now rather than on its next timer. */
export async function announceFlowsChanged(flowId: string): Promise<void> {
  await redis().publish(FLOWS_CHANGED_CHANNEL, flowId);
}

/** Queues the first step of a failover run; the workers chain the rest. */
export async function enqueueFailoverStep(job: FailoverStepJob): Promise<void> {
  globalForQueues.mirrordeckFailoverQueue ??= new Queue(QueueName.Failover, {
    connection: redis(),
    prefix: serverEnv().MIRRORDECK_QUEUE_PREFIX,
    defaultJobOptions: {
      removeOnComplete: 500,
      removeOnFail: 500,
      attempts: 3,
      backoff: { type: "fixed", delay: 1_000 },
    },
  });
  await globalForQueues.mirrordeckFailoverQueue.add(job.step, job, {
    jobId: `${job.runId}.${job.step}.start`,
  });
}
