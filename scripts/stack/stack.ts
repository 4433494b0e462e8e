// The three stack commands, composed from the Kafka clusters and the machine's local services.
import {
  ensureKafkaClusters,
  type KafkaClusterStatus,
  kafkaClusterStatus,
  stopKafkaClusters,
} from "./kafka-clusters.ts";
import { ensureLocalServices, type LocalServicesStatus, localServicesStatus } from "./local-services.ts";
import { consoleReporter, elapsed, type Reporter } from "./progress.ts";
import { loadStackConfig, type StackConfig } from "./stack-config.ts";
import { StackError } from "./stack-error.ts";
import { withStackLock } from "./stack-lock.ts";

export interface StackCommandOptions {
  /** Where progress lines go; console by default. */
  report?: Reporter;
  /** Defaults to loadStackConfig() (process.env over the repo's .env). */
  config?: StackConfig;
}

export interface StackStatus {
  kafkaVersion: string;
  stackDir: string;
  clusters: KafkaClusterStatus[];
  services: LocalServicesStatus;
}

/**
 * Start whatever isn't running: both Kafka clusters, Postgres (+ databases) and Redis. Idempotent and
 * safe to call concurrently (a lock file serialises stack commands across processes).
 */
export async function stackUp(options: StackCommandOptions = {}): Promise<void> {
  const report = options.report ?? consoleReporter;
  const config = options.config ?? loadStackConfig();
  const start = performance.now();
  const clusters = config.clusters.map((c) => `${c.alias} ${c.bootstrap}`).join(", ");
  report(`up: Kafka ${config.kafkaVersion} (${clusters}), state in ${config.stackDir}`);
  await withStackLock(config.lockFile, report, async () => {
    const results = await Promise.allSettled([
      ensureKafkaClusters(config, report),
      ensureLocalServices(config, report),
    ]);
    const failures = results.flatMap((result) => (result.status === "rejected" ? [result.reason] : []));
    if (failures.length === 1) throw failures[0];
    if (failures.length > 1) {
      throw new StackError(failures.map((e) => (e instanceof Error ? e.message : String(e))).join("\n\n"));
    }
  });
  report(`stack ready in ${elapsed(start)}`);
}

/** Stop both brokers (SIGTERM, then SIGKILL after 30 s). Postgres and Redis are left running. */
export async function stackDown(options: StackCommandOptions & { purge?: boolean } = {}): Promise<void> {
  const report = options.report ?? consoleReporter;
  const config = options.config ?? loadStackConfig();
  const start = performance.now();
  await withStackLock(config.lockFile, report, () =>
    stopKafkaClusters(config, report, { purge: options.purge }),
  );
  report(`down in ${elapsed(start)} (Postgres and Redis belong to the machine and keep running)`);
}

export async function getStackStatus(config: StackConfig = loadStackConfig()): Promise<StackStatus> {
  const [clusters, services] = await Promise.all([
    Promise.all(config.clusters.map((cluster) => kafkaClusterStatus(config, cluster))),
    localServicesStatus(config),
  ]);
  return { kafkaVersion: config.kafkaVersion, stackDir: config.stackDir, clusters, services };
}

function formatRss(kb: number | undefined): string {
  return kb === undefined ? "-" : `${Math.round(kb / 1024)} MiB`;
}

export function formatStackStatus(status: StackStatus): string[] {
  const lines: string[] = [];
  for (const c of status.clusters) {
    const details =
      c.status === "down"
        ? ""
        : `  Kafka ${c.kafkaVersion}  pid ${c.pid}  RSS ${formatRss(c.rssKb)}  since ${c.startedAt}`;
    lines.push(`${c.alias.padEnd(8)} ${c.status.padEnd(8)} ${c.bootstrap.padEnd(16)}${details}`);
    lines.push(`${"".padEnd(8)} log ${c.logFile}`);
    if (c.note) lines.push(`${"".padEnd(8)} note: ${c.note}`);
  }
  const { postgres, redis } = status.services;
  const pgDetails = postgres.up
    ? `  PostgreSQL ${postgres.version}` +
      (postgres.missingDatabases?.length
        ? `  missing databases: ${postgres.missingDatabases.join(", ")}`
        : "")
    : `  ${postgres.error ?? ""}`;
  lines.push(
    `${"postgres".padEnd(8)} ${(postgres.up ? "up" : "down").padEnd(8)} ${`${postgres.host}:${postgres.port}`.padEnd(16)}${pgDetails}`,
  );
  lines.push(
    `${"redis".padEnd(8)} ${(redis.up ? "up" : "down").padEnd(8)} ${`${redis.host}:${redis.port}`.padEnd(16)}${redis.reply ? `  ${redis.reply}` : ""}`,
  );
  lines.push(`(KAFKA_VERSION=${status.kafkaVersion}, stack dir ${status.stackDir})`);
  return lines;
}

/** Print the state of every component; returns it too. Never fails because something is down. */
export async function stackStatus(
  options: { config?: StackConfig; print?: (line: string) => void } = {},
): Promise<StackStatus> {
  const status = await getStackStatus(options.config);
  const print = options.print ?? ((line: string) => console.log(line));
  for (const line of formatStackStatus(status)) print(line);
  return status;
}
