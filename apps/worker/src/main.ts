import { hostname } from "node:os";
import { ConfigError, loadEnv } from "@mirrordeck/config";
import { FLOWS_CHANGED_CHANNEL, QueueName } from "@mirrordeck/contracts";
import { createDatabase, MetricsHistory, PgPositionStore, sealClearWebhookUrls } from "@mirrordeck/db";
import { createSecretBox, type SecretBox } from "@mirrordeck/security";
import { Worker } from "bullmq";
import { Redis } from "ioredis";
import { startAlertJobs } from "./alerts/alert-jobs.ts";
import { startFailoverJobs } from "./failover-jobs.ts";
import { handleFlowLifecycleJob } from "./flow-lifecycle-handler.ts";
import { FlowSupervisor } from "./flow-supervisor.ts";
import { createLogger } from "./logger.ts";
import { MetricsPublisher } from "./metrics-publisher.ts";
import { METRICS_PRUNE_INTERVAL_MS, pruneMetricsHistory } from "./metrics-retention.ts";
import { startMetricsServer } from "./prometheus/metrics-server.ts";
import { WorkerMetrics } from "./prometheus/worker-metrics.ts";
import { RetryingWrites } from "./retrying-writes.ts";
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

const RECONCILE_INTERVAL_MS = 10_000;

const workerId = env.MIRRORDECK_WORKER_ID ?? `${hostname()}:${process.pid}`;
const log = createLogger(env.LOG_LEVEL, workerId);
const shutdown = new ShutdownManager(log);
shutdown.listen();

// Registered first, closed last: everything below uses them.
const db = createDatabase(env.DATABASE_URL);
shutdown.register("database", () => db.$disconnect());
// BullMQ needs maxRetriesPerRequest=null on blocking connections.
const redis = new Redis(env.REDIS_URL, { maxRetriesPerRequest: null });
shutdown.register("redis", () => redis.quit());
const subscriber = new Redis(env.REDIS_URL, { maxRetriesPerRequest: null });
shutdown.register("redis-subscriber", () => subscriber.quit());

const presence = startWorkerPresence(redis, workerId);
shutdown.register("presence", presence.stop);

// Flow state, events and metrics history survive a Postgres outage: retried until written.
const writes = new RetryingWrites(log);
shutdown.register("state-writes", () => writes.flush());
const history = new MetricsHistory(db);
const metrics = new MetricsPublisher(redis, history, log, writes);
shutdown.register("metrics-history", async () => metrics.flush());
// Keeps the per-minute history bounded to 24 h; any worker may prune (idempotent).
const pruneTimer = setInterval(() => {
  pruneMetricsHistory(history)
    .then((removed) => removed > 0 && log.info({ removed }, "pruned metrics history"))
    .catch((error) => log.warn({ err: String(error) }, "metrics prune failed"));
}, METRICS_PRUNE_INTERVAL_MS);
shutdown.register("metrics-prune-timer", async () => clearInterval(pruneTimer));

// Opened only for sealed secrets (cluster credentials, webhook URLs); without the key, what needs
// one reports why.
const secrets = (): SecretBox => {
  if (env.MIRRORDECK_SECRET_KEY === undefined) {
    throw new Error(
      "this worker has no MIRRORDECK_SECRET_KEY to open stored secrets (cluster credentials, webhook URLs)",
    );
  }
  return createSecretBox(env.MIRRORDECK_SECRET_KEY);
};
const prometheus = new WorkerMetrics(workerId, env.MIRRORDECK_METRICS_PER_PARTITION);
if (env.MIRRORDECK_METRICS_PORT > 0) {
  const server = await startMetricsServer(
    prometheus.registry,
    {
      port: env.MIRRORDECK_METRICS_PORT,
      host: env.MIRRORDECK_METRICS_HOST,
      token: env.MIRRORDECK_METRICS_TOKEN,
    },
    log,
  );
  if (server) {
    shutdown.register("metrics-endpoint", () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections(); // scrapers keep connections alive
      return closed;
    });
  }
}
const supervisor = new FlowSupervisor(
  db,
  new PgPositionStore(db),
  metrics,
  workerId,
  log,
  secrets,
  writes,
  prometheus,
);
shutdown.register("flows", () => supervisor.stop());

const reconcileTimer = setInterval(() => void supervisor.reconcile(), RECONCILE_INTERVAL_MS);
shutdown.register("reconcile-timer", async () => clearInterval(reconcileTimer));

await subscriber.subscribe(FLOWS_CHANGED_CHANNEL);
subscriber.on("message", () => void supervisor.reconcile());

const lifecycleWorker = new Worker(
  QueueName.FlowLifecycle,
  async (job) => {
    const result = await handleFlowLifecycleJob(job.data, db, log);
    await redis.publish(FLOWS_CHANGED_CHANNEL, result.flowId);
    return result;
  },
  { connection: redis, concurrency: 4, prefix: env.MIRRORDECK_QUEUE_PREFIX },
);
lifecycleWorker.on("failed", (job, err) => log.error({ jobId: job?.id, err }, "lifecycle job failed"));
shutdown.register("lifecycle-worker", () => lifecycleWorker.close());

const failoverJobs = startFailoverJobs({
  db,
  redis,
  prefix: env.MIRRORDECK_QUEUE_PREFIX,
  workerId,
  log,
  secrets,
});
shutdown.register("failover-jobs", failoverJobs.close);

if (env.MIRRORDECK_SECRET_KEY !== undefined) {
  // Webhook URLs stored before they were sealed at rest are sealed now (idempotent, any worker).
  sealClearWebhookUrls(db, secrets())
    .then((sealed) => sealed > 0 && log.info({ sealed }, "sealed webhook URLs stored in clear"))
    .catch((error) => log.warn({ err: String(error) }, "webhook URLs stored in clear were not sealed"));
}
const alertJobs = startAlertJobs({ db, redis, prefix: env.MIRRORDECK_QUEUE_PREFIX, log, secrets });
shutdown.register("alert-jobs", alertJobs.close);

await supervisor.reconcile();
log.info(
  {
    queues: [QueueName.FlowLifecycle, QueueName.Failover, QueueName.AlertEvaluation, QueueName.AlertDelivery],
  },
  "worker started",
);
