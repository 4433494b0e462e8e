import {
  FLOWS_CHANGED_CHANNEL,
  type FlowLeaderStatus,
  failoverStepJobSchema,
  flowLeaderStatusKey,
  flowLeaderStatusSchema,
  QueueName,
} from "@mirrordeck/contracts";
import type { Database } from "@mirrordeck/db";
import {
  advanceFailoverRun,
  openFailoverContext,
  type RunDeps,
  resumeStalledRuns,
} from "@mirrordeck/failover";
import type { SecretBox } from "@mirrordeck/security";
import { Queue, Worker } from "bullmq";
import type { Redis } from "ioredis";
import type { Logger } from "./logger.ts";

/** A run whose step has not been saved for this long lost its worker (or its job): resume it. */
const STALE_RUN_MS = 30_000;
const REAPER_INTERVAL_MS = 10_000;

/**
 * Failover runs as a chain of short BullMQ jobs, one per step execution: a step that waits
 * re-queues itself, a finished one queues the next. Short locks, so a killed worker's job is
 * retried by another within seconds; the reaper covers jobs lost with Redis itself.
 */
export function startFailoverJobs(input: {
  db: Database;
  redis: Redis;
  prefix: string;
  workerId: string;
  log: Logger;
  secrets: () => SecretBox;
}): { close: () => Promise<void> } {
  const { db, redis, prefix, log } = input;
  const queue = new Queue(QueueName.Failover, {
    connection: redis,
    prefix,
    defaultJobOptions: {
      removeOnComplete: 500,
      removeOnFail: 500,
      attempts: 3,
      backoff: { type: "fixed", delay: 1_000 },
    },
  });
  const leaderStatus = async (flowId: string): Promise<FlowLeaderStatus | null> => {
    const raw = await redis.get(flowLeaderStatusKey(flowId));
    if (raw === null) return null;
    const parsed = flowLeaderStatusSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  };
  const deps: RunDeps = {
    db,
    workerId: input.workerId,
    log,
    openContext: (flow) => openFailoverContext(db, flow, { secrets: input.secrets, leaderStatus }),
    schedule: async (job, delayMs) => {
      // Unique ids: a step queued twice (reaper and retry) is harmless, steps are idempotent.
      await queue.add(job.step, job, { delay: delayMs, jobId: `${job.runId}.${job.step}.${Date.now()}` });
    },
    flowsChanged: async (flowId) => {
      await redis.publish(FLOWS_CHANGED_CHANNEL, flowId);
    },
  };
  const worker = new Worker(
    QueueName.Failover,
    async (job) => advanceFailoverRun(deps, failoverStepJobSchema.parse(job.data)),
    {
      connection: redis,
      prefix,
      concurrency: 4,
      lockDuration: 10_000,
      stalledInterval: 5_000,
      maxStalledCount: 10,
    },
  );
  worker.on("failed", (job, err) =>
    log.error({ jobId: job?.id, err: String(err) }, "failover step job failed"),
  );
  const reaper = setInterval(() => {
    resumeStalledRuns(deps, STALE_RUN_MS).catch((error) =>
      log.warn({ err: String(error) }, "failover reaper failed"),
    );
  }, REAPER_INTERVAL_MS);
  return {
    close: async () => {
      clearInterval(reaper);
      await worker.close();
      await queue.close();
    },
  };
}
