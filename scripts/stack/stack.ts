// The three stack commands, composed from the Kafka clusters and the machine's local services.
import {
  type ClusterSelection,
  ensureKafkaClusters,
  type KafkaClusterStatus,
  kafkaClusterStatus,
  type StopClustersOptions,
  selectClusters,
  stopKafkaClusters,
} from "./kafka-clusters.ts";
import { ensureLocalServices, type LocalServicesStatus, localServicesStatus } from "./local-services.ts";
import { consoleReporter, elapsed, type Reporter } from "./progress.ts";
import { type ClusterAlias, loadStackConfig, type StackConfig } from "./stack-config.ts";
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
 * safe to call concurrently (a lock file serialises stack commands across processes). A broker that
 * was stopped (or killed) restarts on its existing data dir: topics, records and offsets survive.
 * With `aliases`, only those Kafka clusters are started (Postgres and Redis are not touched).
 */
export async function stackUp(options: StackCommandOptions & ClusterSelection = {}): Promise<void> {
  const report = options.report ?? consoleReporter;
  const config = options.config ?? loadStackConfig();
  const start = performance.now();
  const selected = selectClusters(config, options.aliases);
  const clusters = selected.map((c) => `${c.alias} ${c.bootstrap}`).join(", ");
  report(`up: Kafka ${config.kafkaVersion} (${clusters}), state in ${config.stackDir}`);
  await withStackLock(config.lockFile, report, async () => {
    const results = await Promise.allSettled([
      ensureKafkaClusters(config, report, { aliases: options.aliases }),
      ...(options.aliases === undefined ? [ensureLocalServices(config, report)] : []),
    ]);
    const failures = results.flatMap((result) => (result.status === "rejected" ? [result.reason] : []));
    if (failures.length === 1) throw failures[0];
    if (failures.length > 1) {
      throw new StackError(failures.map((e) => (e instanceof Error ? e.message : String(e))).join("\n\n"));
    }
  });
  report(`stack ready in ${elapsed(start)}`);
}

/**
 * Stop both brokers (SIGTERM, then SIGKILL after 30 s), or only those named in `aliases`;
 * `signal: "SIGKILL"` kills them at once instead. Postgres and Redis are left running. Data dirs are
 * kept unless `purge`, so `stackUp()` brings the same topics and offsets back.
 */
export async function stackDown(options: StackCommandOptions & StopClustersOptions = {}): Promise<void> {
  const report = options.report ?? consoleReporter;
  const config = options.config ?? loadStackConfig();
  const start = performance.now();
  selectClusters(config, options.aliases); // unknown aliases fail before taking the lock
  await withStackLock(config.lockFile, report, () =>
    stopKafkaClusters(config, report, {
      purge: options.purge,
      aliases: options.aliases,
      signal: options.signal,
    }),
  );
  report(`down in ${elapsed(start)} (Postgres and Redis belong to the machine and keep running)`);
}

/**
 * For failure tests: stop one Kafka cluster, gracefully (SIGTERM, controlled shutdown) or with
 * `hard: true` by SIGKILL of its broker JVM. Its data dir is kept; `startClusters()` brings it back.
 */
export function stopCluster(
  alias: ClusterAlias,
  options: StackCommandOptions & { hard?: boolean } = {},
): Promise<void> {
  return stackDown({
    report: options.report,
    config: options.config,
    aliases: [alias],
    signal: options.hard ? "SIGKILL" : "SIGTERM",
  });
}

/**
 * Start the Kafka clusters that are down (all, or `aliases`) on their existing data and wait until
 * they answer; running brokers are left alone and Postgres/Redis are not touched.
 */
export function startClusters(options: StackCommandOptions & ClusterSelection = {}): Promise<void> {
  const config = options.config ?? loadStackConfig();
  return stackUp({
    report: options.report,
    config,
    aliases: options.aliases ?? config.clusters.map((c) => c.alias),
  });
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
