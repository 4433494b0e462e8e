// Bring the east/west Kafka clusters up, down, or report on them. Callers hold the stack lock for
// up/down.
import { readdirSync, rmSync } from "node:fs";
import path from "node:path";
import {
  type BrokerState,
  findBrokerProcesses,
  isBrokerAlive,
  readBrokerState,
  removeBrokerState,
} from "./broker-state.ts";
import { tailFile } from "./file-utils.ts";
import { type JavaRuntime, requireJava } from "./java-runtime.ts";
import { ensureKafkaDistribution, type KafkaDistribution } from "./kafka-distribution.ts";
import { ensureStorageFormatted, prepareBrokerFiles, startBroker } from "./kraft-broker.ts";
import { describePortOwner, isPortOpen } from "./net-probe.ts";
import { readRssKb, terminateProcess } from "./process-control.ts";
import { elapsed, type Reporter } from "./progress.ts";
import { type ClusterAlias, type ClusterSpec, clusterPaths, type StackConfig } from "./stack-config.ts";
import { StackError } from "./stack-error.ts";
import { probeKafka, waitForKafka } from "./wait-for-kafka.ts";

type Plan = { cluster: ClusterSpec; running: BrokerState } | { cluster: ClusterSpec; running: null };

/** Which clusters a command acts on: all of them, or the named ones (unknown names are an error). */
export function selectClusters(config: StackConfig, aliases?: readonly string[]): ClusterSpec[] {
  if (aliases === undefined) return config.clusters;
  const all = [...config.clusters, ...config.onDemandClusters];
  const known = all.map((c) => c.alias);
  const unknown = aliases.filter((a) => !known.includes(a as ClusterAlias));
  if (unknown.length > 0) {
    throw new StackError(`unknown cluster ${unknown.join(", ")}; the stack has ${known.join(", ")}.`);
  }
  return all.filter((c) => aliases.includes(c.alias));
}

export interface ClusterSelection {
  /** Act on these clusters only (default: every cluster of the stack). */
  aliases?: readonly ClusterAlias[];
}

export interface StopClustersOptions extends ClusterSelection {
  /** Also delete the data of the stopped clusters (every Kafka version's); jars are kept. */
  purge?: boolean;
  /**
   * SIGTERM (default): controlled shutdown, SIGKILL after `stopTimeoutMs`. SIGKILL: kill the broker
   * JVM at once, like a crash (its data dir is kept; the next start runs log recovery).
   */
  signal?: "SIGTERM" | "SIGKILL";
}

function envPrefix(cluster: ClusterSpec): string {
  return cluster.alias.toUpperCase();
}

/** Decide per cluster: reuse the running broker, or clean up leftovers and start a new one. */
async function planCluster(config: StackConfig, cluster: ClusterSpec, report: Reporter): Promise<Plan> {
  const { alias } = cluster;
  const state = await readBrokerState(config, alias);
  if (state && isBrokerAlive(state)) {
    if (state.kafkaVersion !== config.kafkaVersion) {
      throw new StackError(
        `${alias} is running Kafka ${state.kafkaVersion} (pid ${state.pid}) but KAFKA_VERSION=${config.kafkaVersion}. ` +
          "Stop the stack first with `npm run stack:down`, then run `npm run stack:up` again.",
      );
    }
    if (state.kafkaPort !== cluster.kafkaPort || state.controllerPort !== cluster.controllerPort) {
      throw new StackError(
        `${alias} is running on ports ${state.kafkaPort}/${state.controllerPort} (pid ${state.pid}) but ` +
          `${envPrefix(cluster)}_KAFKA_PORT/${envPrefix(cluster)}_CONTROLLER_PORT now say ` +
          `${cluster.kafkaPort}/${cluster.controllerPort}. Run \`npm run stack:down\` first.`,
      );
    }
    return { cluster, running: state };
  }
  if (state) {
    report(
      `${alias}: previous broker (pid ${state.pid}) is no longer running; starting a new one ` +
        `(its log will be kept as ${clusterPaths(config, alias).previousLogFile})`,
    );
    removeBrokerState(config, alias);
  }
  // Brokers of ours without a state file: an earlier `up` was killed right after starting them.
  for (const pid of findBrokerProcesses(config, alias)) {
    report(`${alias}: stopping leftover broker pid ${pid} (no state file)...`);
    await terminateProcess(pid, config.stopTimeoutMs);
  }
  const ports: Array<[number, string, string]> = [
    [cluster.kafkaPort, "Kafka", `${envPrefix(cluster)}_KAFKA_PORT`],
    [cluster.controllerPort, "controller", `${envPrefix(cluster)}_CONTROLLER_PORT`],
  ];
  for (const [port, role, envName] of ports) {
    if (await isPortOpen(cluster.host, port, 500)) {
      throw new StackError(
        `${alias}: ${cluster.host}:${port} (its ${role} port) is already in use by ${describePortOwner(port)}, ` +
          `which this stack did not start. Stop that process or choose another port with ${envName}.`,
      );
    }
  }
  return { cluster, running: null };
}

function brokerFailure(state: BrokerState, why: string): StackError {
  const log = tailFile(state.logFile, 40);
  const stdout = tailFile(state.stdoutFile, 20);
  const sections = [
    `${state.alias}: the Kafka ${state.kafkaVersion} broker ${why}.`,
    `--- last lines of ${state.logFile} ---\n${log || "(empty)"}`,
    ...(stdout ? [`--- last lines of ${state.stdoutFile} ---\n${stdout}`] : []),
  ];
  return new StackError(sections.join("\n"));
}

async function awaitReady(config: StackConfig, state: BrokerState): Promise<void> {
  const result = await waitForKafka({
    bootstrap: state.bootstrap,
    timeoutMs: config.readyTimeoutMs,
    isAlive: () => isBrokerAlive(state),
  });
  if (!result.ok) {
    if (result.reason === "exited") {
      removeBrokerState(config, state.alias);
      throw brokerFailure(state, "exited during startup");
    }
    // Don't leave a half-started broker behind: the next `up` starts from a clean slate.
    await terminateProcess(state.pid, config.stopTimeoutMs);
    removeBrokerState(config, state.alias);
    throw brokerFailure(
      state,
      `did not answer a metadata request on ${state.bootstrap} within ${config.readyTimeoutMs / 1000} s`,
    );
  }
  if (result.info.clusterId !== state.clusterId) {
    throw new StackError(
      `${state.alias}: ${state.bootstrap} answers with cluster id ${result.info.clusterId}, expected ${state.clusterId}.`,
    );
  }
}

async function startCluster(
  config: StackConfig,
  cluster: ClusterSpec,
  java: JavaRuntime,
  dist: KafkaDistribution,
  report: Reporter,
): Promise<void> {
  const start = performance.now();
  prepareBrokerFiles(config, cluster);
  const clusterId = await ensureStorageFormatted(config, cluster, java, dist, report);
  report(`${cluster.alias}: starting Kafka ${config.kafkaVersion} on ${cluster.bootstrap}...`);
  const state = startBroker(config, cluster, java, dist, clusterId);
  await awaitReady(config, state);
  report(
    `${cluster.alias}: ready on ${cluster.bootstrap} in ${elapsed(start)} (pid ${state.pid}, log ${state.logFile})`,
  );
}

async function reuseCluster(config: StackConfig, state: BrokerState, report: Reporter): Promise<void> {
  await awaitReady(config, state);
  report(
    `${state.alias}: already running on ${state.bootstrap} (Kafka ${state.kafkaVersion}, pid ${state.pid})`,
  );
}

async function settleAll(tasks: Array<Promise<unknown>>): Promise<void> {
  const results = await Promise.allSettled(tasks);
  const failures = results.flatMap((result) => (result.status === "rejected" ? [result.reason] : []));
  if (failures.length === 1) throw failures[0];
  if (failures.length > 1) {
    throw new StackError(
      failures.map((error) => (error instanceof Error ? error.message : String(error))).join("\n\n"),
    );
  }
}

/**
 * Start the selected clusters that are not running (reusing their data dirs, so topics and offsets
 * survive a restart) and wait until each answers; running brokers are left alone.
 */
export async function ensureKafkaClusters(
  config: StackConfig,
  report: Reporter,
  options: ClusterSelection = {},
): Promise<void> {
  const plans: Plan[] = [];
  for (const cluster of selectClusters(config, options.aliases)) {
    plans.push(await planCluster(config, cluster, report));
  }
  const toStart = plans.filter((plan) => plan.running === null).map((plan) => plan.cluster);
  let tools: { java: JavaRuntime; dist: KafkaDistribution } | null = null;
  if (toStart.length > 0) {
    const java = await requireJava(config.kafkaMajor);
    tools = { java, dist: await ensureKafkaDistribution(config, report) };
  }
  await settleAll(
    plans.map((plan) =>
      plan.running
        ? reuseCluster(config, plan.running, report)
        : startCluster(config, plan.cluster, tools!.java, tools!.dist, report),
    ),
  );
}

export async function stopKafkaClusters(
  config: StackConfig,
  report: Reporter,
  options: StopClustersOptions = {},
): Promise<void> {
  // Without a selection: every cluster, including an on-demand one a test left running.
  const clusters =
    options.aliases === undefined
      ? [...config.clusters, ...config.onDemandClusters]
      : selectClusters(config, options.aliases);
  const onDemand = new Set(config.onDemandClusters.map((c) => c.alias));
  const hard = options.signal === "SIGKILL";
  await settleAll(
    clusters.map(async ({ alias }) => {
      const state = await readBrokerState(config, alias);
      const pids = new Set(findBrokerProcesses(config, alias));
      if (state && isBrokerAlive(state)) pids.add(state.pid);
      if (pids.size === 0 && !(options.aliases === undefined && onDemand.has(alias)))
        report(`${alias}: not running`);
      for (const pid of pids) {
        const version = state?.pid === pid ? `Kafka ${state.kafkaVersion}, ` : "";
        report(`${alias}: ${hard ? "killing (SIGKILL)" : "stopping"} broker (${version}pid ${pid})...`);
        const result = await terminateProcess(pid, config.stopTimeoutMs, hard ? "SIGKILL" : "SIGTERM");
        report(
          hard
            ? `${alias}: killed in ${result.took}`
            : result.how === "sigkill"
              ? `${alias}: killed with SIGKILL after ${result.took} (no clean shutdown within ${config.stopTimeoutMs / 1000} s)`
              : `${alias}: stopped in ${result.took}`,
        );
      }
      removeBrokerState(config, alias);
    }),
  );
  if (options.purge) {
    const dataDir = path.join(config.stackDir, "data");
    if (options.aliases === undefined) {
      rmSync(dataDir, { recursive: true, force: true });
      report(`purged broker data (${dataDir}); Kafka jars are kept`);
    } else {
      // Only the selected clusters' data dirs, for every Kafka version (data/<version>/<alias>).
      const versions = (() => {
        try {
          return readdirSync(dataDir);
        } catch {
          return [];
        }
      })();
      for (const { alias } of clusters) {
        for (const version of versions) {
          for (const dir of [alias, `${alias}.formatting`]) {
            rmSync(path.join(dataDir, version, dir), { recursive: true, force: true });
          }
        }
        report(`${alias}: purged broker data (${path.join(dataDir, "*", alias)}); Kafka jars are kept`);
      }
    }
  }
}

export interface KafkaClusterStatus {
  alias: string;
  bootstrap: string;
  /** up: our broker answers; starting: our broker runs but doesn't answer yet; down: not running. */
  status: "up" | "starting" | "down";
  kafkaVersion?: string;
  pid?: number;
  rssKb?: number;
  clusterId?: string;
  startedAt?: string;
  logFile: string;
  /** Anything odd: leftover brokers, a foreign process on the port. */
  note?: string;
}

export async function kafkaClusterStatus(
  config: StackConfig,
  cluster: ClusterSpec,
): Promise<KafkaClusterStatus> {
  const { alias } = cluster;
  const paths = clusterPaths(config, alias);
  const state = await readBrokerState(config, alias);
  if (state && isBrokerAlive(state)) {
    const answering = (await probeKafka(state.bootstrap)) !== null;
    return {
      alias,
      bootstrap: state.bootstrap,
      status: answering ? "up" : "starting",
      kafkaVersion: state.kafkaVersion,
      pid: state.pid,
      rssKb: readRssKb(state.pid) ?? undefined,
      clusterId: state.clusterId,
      startedAt: state.startedAt,
      logFile: state.logFile,
    };
  }
  const base = { alias, bootstrap: cluster.bootstrap, status: "down" as const, logFile: paths.logFile };
  const leftovers = findBrokerProcesses(config, alias);
  if (leftovers.length > 0) {
    return {
      ...base,
      note: `leftover broker pid ${leftovers.join(", ")} without state; run npm run stack:down`,
    };
  }
  if (await isPortOpen(cluster.host, cluster.kafkaPort, 500)) {
    return { ...base, note: `port ${cluster.kafkaPort} is used by ${describePortOwner(cluster.kafkaPort)}` };
  }
  return base;
}
