// Environment and filesystem layout of the local stack. Pure: reads env (plus the repo's optional
// `.env`, which never overrides the real environment) and computes paths; touches nothing else.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseDotEnv } from "dotenv";
import { StackError } from "./stack-error.ts";

export type ClusterAlias = "east" | "west" | "secure";

/** A listener with TLS and SASL/SCRAM beside the plaintext one the stack's own tooling uses. */
export interface SaslSslListener {
  port: number;
  /** host:port of the secured listener. */
  bootstrap: string;
  mechanism: "SCRAM-SHA-512";
  /** The SCRAM user created when the storage is formatted (a local test broker's fixed credentials). */
  username: string;
  password: string;
  /**
   * A second SCRAM user, not a super user: tests grant and deny it ACLs (the broker runs Kafka's
   * StandardAuthorizer, the first user and the plaintext listeners being super users).
   */
  restrictedUser: { username: string; password: string };
}

export interface ClusterSpec {
  alias: ClusterAlias;
  host: string;
  kafkaPort: number;
  controllerPort: number;
  /** host:port for Kafka clients. */
  bootstrap: string;
  saslSsl?: SaslSslListener;
}

export interface StackConfig {
  repoRoot: string;
  stackDir: string;
  kafkaVersion: string;
  kafkaMajor: number;
  /** KAFKA_HEAP_OPTS split into JVM arguments. */
  heapOpts: string[];
  /** Fixed JVM flags for brokers (GC, direct memory). */
  jvmFlags: string[];
  /** Started by `stack:up`: east and west. */
  clusters: ClusterSpec[];
  /** Started only when named (tests of secured clusters): `secure`. `stack:down` stops them too. */
  onDemandClusters: ClusterSpec[];
  databaseUrl: string;
  redisUrl: string;
  /** How long `up` waits for a broker to answer a metadata request. */
  readyTimeoutMs: number;
  /** How long `down` waits after SIGTERM before SIGKILL. */
  stopTimeoutMs: number;
  pomFile: string;
  logsDir: string;
  runDir: string;
  lockFile: string;
}

export interface ClusterPaths {
  configDir: string;
  serverProperties: string;
  /** log4j2.properties (Kafka 4.x) or log4j.properties (Kafka 3.x). */
  loggingConfig: string;
  /** Per version, so switching KAFKA_VERSION never reuses an incompatible log dir. */
  dataDir: string;
  /** Broker log (log4j), rolled at 20 MB into <alias>.log.1 and .2. */
  logFile: string;
  /** Broker stdout/stderr (JVM crashes, log4j status messages). */
  stdoutFile: string;
  /** The logs of the previous broker run (kept across one restart, e.g. to see why it crashed). */
  previousLogFile: string;
  previousStdoutFile: string;
  stateFile: string;
}

export const DEFAULT_KAFKA_VERSION = "4.4.0";
export const DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/mirrordeck";
export const DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";
export const TEST_DATABASE_NAME = "mirrordeck_test";

const DEFAULT_HEAP_OPTS = "-Xms128m -Xmx512m";
const BROKER_JVM_FLAGS = [
  "-XX:+UseG1GC",
  "-XX:MaxGCPauseMillis=20",
  "-XX:MaxDirectMemorySize=256m",
  "-XX:+ExitOnOutOfMemoryError",
  "-Djava.awt.headless=true",
];

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** process.env layered over the repo's `.env` (if any); the real environment always wins. */
export function stackEnv(): NodeJS.ProcessEnv {
  const dotEnvFile = path.join(repoRoot, ".env");
  const fromFile = existsSync(dotEnvFile) ? parseDotEnv(readFileSync(dotEnvFile)) : {};
  return { ...fromFile, ...process.env };
}

export function parseKafkaVersion(version: string): { major: number; minor: number } {
  const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(version.trim());
  if (!match) {
    throw new StackError(`KAFKA_VERSION=${version} is not a release version like 4.4.0 or 3.9.1.`);
  }
  const major = Number(match[1]);
  const minor = Number(match[2]);
  if (major === 3 && minor >= 3) return { major, minor };
  if (major === 4) return { major, minor };
  throw new StackError(
    `KAFKA_VERSION=${version} is not supported: the local stack runs KRaft brokers from Kafka 3.3+ or 4.x ` +
      "(scripts/stack/pom.xml has logging profiles for majors 3 and 4).",
  );
}

function portFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new StackError(`${name}=${raw} is not a TCP port.`);
  }
  return port;
}

function cluster(alias: ClusterAlias, kafkaPort: number, controllerPort: number): ClusterSpec {
  const host = "127.0.0.1";
  return { alias, host, kafkaPort, controllerPort, bootstrap: `${host}:${kafkaPort}` };
}

export function loadStackConfig(env: NodeJS.ProcessEnv = stackEnv()): StackConfig {
  const kafkaVersion = env.KAFKA_VERSION?.trim() || DEFAULT_KAFKA_VERSION;
  const { major } = parseKafkaVersion(kafkaVersion);
  const stackDir = path.resolve(repoRoot, env.MIRRORDECK_STACK_DIR?.trim() || ".stack");
  const clusters = [
    cluster(
      "east",
      portFromEnv(env, "EAST_KAFKA_PORT", 19092),
      portFromEnv(env, "EAST_CONTROLLER_PORT", 19093),
    ),
    cluster(
      "west",
      portFromEnv(env, "WEST_KAFKA_PORT", 29092),
      portFromEnv(env, "WEST_CONTROLLER_PORT", 29093),
    ),
  ];
  // Below Linux's ephemeral range (32768–60999): a client socket never holds a broker's port when
  // the on-demand broker is started again between test files.
  const securePort = portFromEnv(env, "SECURE_KAFKA_PORT", 29192);
  const secure = cluster("secure", securePort, portFromEnv(env, "SECURE_CONTROLLER_PORT", 29193));
  const saslSslPort = portFromEnv(env, "SECURE_SASL_SSL_PORT", 29194);
  secure.saslSsl = {
    port: saslSslPort,
    bootstrap: `${secure.host}:${saslSslPort}`,
    mechanism: "SCRAM-SHA-512",
    username: "mirrordeck",
    password: "secure-broker-test-password",
    restrictedUser: { username: "mirrordeck-restricted", password: "restricted-broker-test-password" },
  };
  const onDemandClusters = [secure];
  const ports = [...clusters, ...onDemandClusters].flatMap((c) => [
    c.kafkaPort,
    c.controllerPort,
    ...(c.saslSsl ? [c.saslSsl.port] : []),
  ]);
  if (new Set(ports).size !== ports.length) {
    throw new StackError(`Kafka ports must all differ, got ${ports.join(", ")}.`);
  }
  const heapOpts = (env.KAFKA_HEAP_OPTS?.trim() || DEFAULT_HEAP_OPTS).split(/\s+/);
  const runDir = path.join(stackDir, "run");
  return {
    repoRoot,
    stackDir,
    kafkaVersion,
    kafkaMajor: major,
    heapOpts,
    jvmFlags: BROKER_JVM_FLAGS,
    clusters,
    onDemandClusters,
    databaseUrl: env.DATABASE_URL?.trim() || DEFAULT_DATABASE_URL,
    redisUrl: env.REDIS_URL?.trim() || DEFAULT_REDIS_URL,
    readyTimeoutMs: 60_000,
    stopTimeoutMs: 30_000,
    pomFile: path.join(repoRoot, "scripts", "stack", "pom.xml"),
    logsDir: path.join(stackDir, "logs"),
    runDir,
    lockFile: path.join(runDir, "stack.lock"),
  };
}

export function kafkaLibsDir(config: StackConfig, version = config.kafkaVersion): string {
  return path.join(config.stackDir, "kafka", version, "libs");
}

export function clusterPaths(
  config: StackConfig,
  alias: ClusterAlias,
  version = config.kafkaVersion,
): ClusterPaths {
  const configDir = path.join(config.stackDir, "config", alias);
  const major = parseKafkaVersion(version).major;
  return {
    configDir,
    serverProperties: path.join(configDir, "server.properties"),
    loggingConfig: path.join(configDir, major >= 4 ? "log4j2.properties" : "log4j.properties"),
    dataDir: path.join(config.stackDir, "data", version, alias),
    logFile: path.join(config.logsDir, `${alias}.log`),
    stdoutFile: path.join(config.logsDir, `${alias}.stdout.log`),
    previousLogFile: path.join(config.logsDir, `${alias}.previous.log`),
    previousStdoutFile: path.join(config.logsDir, `${alias}.stdout.previous.log`),
    stateFile: path.join(config.runDir, `${alias}.json`),
  };
}
