// Test support: ask Apache Kafka's own MirrorMaker 2 client (connect-mirror-client's MirrorClient and
// RemoteClusterUtils) about a cluster, so integration tests can compare its answers with ours.
//
// The client's jars are resolved from Maven Central with scripts/interop/pom.xml into
// <stackDir>/mirror-client/<version>/libs, the same way scripts/stack resolves the broker
// (scripts/stack/maven-libs.ts: an interrupted resolution is redone and a complete one is reused
// without Maven). scripts/interop/MirrorClientProbe.java then runs on the JDK's source launcher and prints
// one JSON line (its header documents the commands and their JSON).
import { execFile } from "node:child_process";
import path from "node:path";
import { requireJava } from "../stack/java-runtime.ts";
import { ensureMavenLibs, type MavenLibsRequest, mavenLibsComplete } from "../stack/maven-libs.ts";
import type { Reporter } from "../stack/progress.ts";
import { outputTail } from "../stack/run-command.ts";
import { loadStackConfig, repoRoot, type StackConfig, stackEnv } from "../stack/stack-config.ts";
import { withStackLock } from "../stack/stack-lock.ts";

/**
 * connect-mirror-client releases on Maven Central (3.3+, the brokers the stack runs), oldest first.
 * Not every broker release has one: 3.5.2, 3.9.2, 4.0.1, 4.2.1, 4.2.2 and 4.4.0 are missing.
 * Append new releases here (https://repo.maven.apache.org/maven2/org/apache/kafka/connect-mirror-client/).
 */
export const MIRROR_CLIENT_VERSIONS: readonly string[] = (
  "3.3.0 3.3.1 3.3.2 3.4.0 3.4.1 3.5.0 3.5.1 3.6.0 3.6.1 3.6.2 3.7.0 3.7.1" +
  " 3.7.2 3.8.0 3.8.1 3.9.0 3.9.1 4.0.0 4.0.2 4.1.0 4.1.1 4.1.2 4.2.0 4.3.0 4.3.1"
).split(" ");
/** The newest connect-mirror-client on Maven Central. */
export const NEWEST_MIRROR_CLIENT_VERSION = MIRROR_CLIENT_VERSIONS.at(-1)!;
/** MIRROR_CLIENT_VERSION may not be older: the probe needs ReplicationPolicy.checkpointsTopic (KIP-690). */
export const OLDEST_MIRROR_CLIENT_VERSION = "3.1.0";

export interface MirrorClientInstall {
  /** connect-mirror-client version, e.g. "4.3.1". */
  version: string;
  libsDir: string;
  /** Java classpath wildcard for the libs dir. */
  classpath: string;
}

export interface MirrorClientProbeOptions {
  /** Kill the JVM after this long (default 75 s). */
  timeoutMs?: number;
  /** MirrorClientConfig properties, e.g. `{ "replication.policy.separator": "_" }`. */
  config?: Record<string, string>;
}

/** java (or the probe) failed: exit code, or timeout, and stderr. */
export class MirrorClientProbeError extends Error {
  override name = "MirrorClientProbeError";
  constructor(
    message: string,
    /** null when the JVM was killed (timeout). */
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(message);
  }
}

// Kafka's clients give up on an unreachable cluster after default.api.timeout.ms (60 s, not settable
// through MirrorClientConfig) with an error that says what they were waiting for; let that surface
// (the probe then exits at ~62 s, JVM start included) rather than kill the JVM a moment before.
const PROBE_TIMEOUT_MS = 75_000;
const probeSource = path.join(repoRoot, "scripts", "interop", "MirrorClientProbe.java");
const pomFile = path.join(repoRoot, "scripts", "interop", "pom.xml");
// A small, quick-starting JVM: the probe makes a handful of requests and exits.
const JVM_FLAGS = ["-Xmx128m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto"];

const defaultReporter: Reporter = (line) => {
  console.log(`[mirror-client] ${line}`);
};

function parseVersion(version: string): [number, number, number] | null {
  const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(version.trim());
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : null;
}

function compareVersions(a: [number, number, number], b: [number, number, number]): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/**
 * Which connect-mirror-client to run against a broker of `brokerVersion`:
 * - `override` (MIRROR_CLIENT_VERSION) if given, e.g. to pin one release across broker versions;
 * - else the broker's own version when connect-mirror-client was published for it (3.9.1 -> 3.9.1),
 *   so the answers are those of the MM2 release the broker belongs to;
 * - else the newest published one not newer than the broker: the newest of all (4.3.1) for brokers
 *   released without it (4.4.0 -> 4.3.1), the previous patch release for the gaps (4.2.2 -> 4.2.0).
 * Falling back is safe: MirrorClient only lists topics and reads checkpoint records, whose formats
 * have not changed across these releases, and Kafka clients work with newer brokers (they negotiate
 * API versions).
 */
export function chooseMirrorClientVersion(brokerVersion: string, override?: string): string {
  const wanted = override?.trim();
  if (wanted) {
    const parsed = parseVersion(wanted);
    if (!parsed) throw new Error(`MIRROR_CLIENT_VERSION=${wanted} is not a release version like 4.3.1.`);
    if (compareVersions(parsed, parseVersion(OLDEST_MIRROR_CLIENT_VERSION)!) < 0) {
      throw new Error(
        `MIRROR_CLIENT_VERSION=${wanted} is too old: MirrorClientProbe needs ${OLDEST_MIRROR_CLIENT_VERSION}+.`,
      );
    }
    return wanted;
  }
  const broker = parseVersion(brokerVersion);
  if (!broker) throw new Error(`broker version ${brokerVersion} is not a release version like 4.4.0.`);
  const published = MIRROR_CLIENT_VERSIONS.filter((v) => compareVersions(parseVersion(v)!, broker) <= 0);
  // Older than any listed release: let Maven try the broker's own version.
  return published.at(-1) ?? brokerVersion.trim();
}

function mirrorClientLibsDir(config: StackConfig, version: string): string {
  return path.join(config.stackDir, "mirror-client", version, "libs");
}

function install(version: string, libsDir: string): MirrorClientInstall {
  return { version, libsDir, classpath: `${libsDir}/*` };
}

async function resolveMirrorClient(report: Reporter): Promise<MirrorClientInstall> {
  const config = loadStackConfig();
  const version = chooseMirrorClientVersion(config.kafkaVersion, stackEnv().MIRROR_CLIENT_VERSION);
  const libs: MavenLibsRequest = {
    pomFile,
    properties: { "mirror.client.version": version },
    libsDir: mirrorClientLibsDir(config, version),
    artifact: { groupId: "org.apache.kafka", artifactId: "connect-mirror-client", version },
    label: `connect-mirror-client ${version}`,
    versionVariable: "MIRROR_CLIENT_VERSION",
    repoRoot: config.repoRoot,
    report,
  };
  if (!mavenLibsComplete(libs)) {
    // Test files run in parallel processes: one resolves, the others wait and then reuse its result.
    const lockFile = path.join(config.runDir, "mirror-client.lock");
    await withStackLock(lockFile, report, () => ensureMavenLibs(libs));
  }
  return install(version, libs.libsDir);
}

let installing: Promise<MirrorClientInstall> | undefined;

/**
 * Resolve connect-mirror-client (see chooseMirrorClientVersion) into the stack dir, once per process;
 * later calls share the first one's result. A failed resolution is retried by the next call.
 */
export function ensureMirrorClient(report: Reporter = defaultReporter): Promise<MirrorClientInstall> {
  installing ??= resolveMirrorClient(report).catch((error: unknown) => {
    installing = undefined;
    throw error;
  });
  return installing;
}

let javaExecutable: Promise<string> | undefined;

function findJava(): Promise<string> {
  javaExecutable ??= (async () => {
    // Kafka 3.x clients run on Java 8, but the source-file launcher needs Java 11.
    const java = await requireJava(3);
    if (java.feature < 11) {
      throw new Error(
        `MirrorClientProbe needs Java 11+ (source launcher), but ${java.executable} is ${java.versionLine}`,
      );
    }
    return java.executable;
  })().catch((error: unknown) => {
    javaExecutable = undefined;
    throw error;
  });
  return javaExecutable;
}

/**
 * Run MirrorClientProbe against `bootstrap` with `args` (a command and its arguments, e.g.
 * `["topology", "east"]` or `["translate", "east", "my-group", "5000"]`) and return its parsed JSON.
 * Throws a MirrorClientProbeError with stderr's tail when java fails or exceeds the timeout.
 */
export async function runMirrorClientProbe(
  bootstrap: string,
  args: string[],
  options: MirrorClientProbeOptions = {},
): Promise<unknown> {
  const [client, java] = await Promise.all([ensureMirrorClient(), findJava()]);
  const timeoutMs = options.timeoutMs ?? PROBE_TIMEOUT_MS;
  const configArgs = Object.entries(options.config ?? {}).flatMap(([key, value]) => [
    "--config",
    `${key}=${value}`,
  ]);
  const javaArgs = [...JVM_FLAGS, "-cp", client.classpath, probeSource, bootstrap, ...configArgs, ...args];
  const what = `MirrorClientProbe ${[...configArgs, ...args].join(" ")} on ${bootstrap} (connect-mirror-client ${client.version})`;

  const { stdout, stderr, exitCode, timedOut } = await new Promise<{
    stdout: string;
    stderr: string;
    exitCode: number | null;
    timedOut: boolean;
  }>((resolve, reject) => {
    execFile(
      java,
      javaArgs,
      {
        cwd: repoRoot,
        timeout: timeoutMs,
        killSignal: "SIGKILL",
        maxBuffer: 16 * 1024 * 1024,
        encoding: "utf8",
      },
      (error, stdout, stderr) => {
        if (!error) {
          resolve({ stdout, stderr, exitCode: 0, timedOut: false });
          return;
        }
        // A string code is a spawn failure (ENOENT...); a number is java's exit code.
        if (typeof error.code === "string") {
          reject(error.code === "ENOENT" ? new Error(`${java}: command not found`) : error);
          return;
        }
        resolve({
          stdout,
          stderr,
          exitCode: typeof error.code === "number" ? error.code : null,
          timedOut: error.killed === true,
        });
      },
    );
  });

  if (exitCode !== 0) {
    const why = timedOut
      ? `timed out after ${timeoutMs / 1000} s (is the cluster up?)`
      : `failed (exit ${exitCode ?? "by signal"})`;
    throw new MirrorClientProbeError(
      `${what} ${why}:\n${outputTail(stderr || "(no output on stderr)")}`,
      exitCode,
      stderr,
    );
  }
  const line = stdout.trimEnd().split("\n").at(-1) ?? "";
  try {
    return JSON.parse(line);
  } catch {
    throw new MirrorClientProbeError(
      `${what} printed no JSON:\n${outputTail(`${stdout}\n${stderr}`)}`,
      exitCode,
      stderr,
    );
  }
}
