import { hostname } from "node:os";
import { ConfigError, loadEnv } from "@mirrordeck/config";
import { QueueName } from "@mirrordeck/contracts";
import { Worker } from "bullmq";
import { Redis } from "ioredis";
import { handleFlowLifecycleJob } from "./flow-lifecycle-handler.ts";
import { createLogger } from "./logger.ts";
import { ShutdownManager } from "./shutdown.ts";
import { startWorkerPresence } from "./worker-presence.ts";

let env: ReturnType<typeof loadEnv>;
try {
  env = loadEnv();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(2);
  }
  throw error;
}

const workerId = env.MIRRORDECK_WORKER_ID ?? `${hostname()}:${process.pid}`;
const log = createLogger(env.LOG_LEVEL, workerId);
const shutdown = new ShutdownManager(log);
shutdown.listen();

// BullMQ needs maxRetriesPerRequest=null on blocking connections.
const redis = new Redis(env.REDIS_URL, { maxRetriesPerRequest: null, lazyConnect: false });
shutdown.register("redis", () => redis.quit());

const presence = startWorkerPresence(redis, workerId);
shutdown.register("presence", presence.stop);

const lifecycleWorker = new Worker(QueueName.FlowLifecycle, (job) => handleFlowLifecycleJob(job.data, log), {
  connection: redis,
  concurrency: 4,
});
lifecycleWorker.on("failed", (job, err) => log.error({ jobId: job?.id, err }, "lifecycle job failed"));
shutdown.register("lifecycle-worker", () => lifecycleWorker.close());

log.info({ queues: [QueueName.FlowLifecycle] }, "worker started");
