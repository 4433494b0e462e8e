// The benchmark's own pair of Kafka clusters and its Java peer (MirrorMaker 2, kafka-tools).
// MirrorMaker 2 must be the brokers' own release, and connect-mirror is not published for every
// broker release (4.4.0 has none), so the benchmark runs brokers of the newest release that has it,
// on ports and in a state directory of their own: the development stack keeps running beside it.
import path from "node:path";
import { loadStackConfig, type StackConfig, stackUp } from "../../scripts/stack/index.ts";
import { requireJava } from "../../scripts/stack/java-runtime.ts";
import { ensureMavenLibs } from "../../scripts/stack/maven-libs.ts";
import { repoRoot, stackEnv } from "../../scripts/stack/stack-config.ts";

/** Newest Kafka release with `org.apache.kafka:connect-mirror` on Maven Central. */
export const DEFAULT_BENCH_KAFKA_VERSION = "4.3.1";

export interface BenchStack {
  config: StackConfig;
  kafkaVersion: string;
  east: string;
  west: string;
  /** Classpath of connect-mirror + kafka-tools + kafka-clients + log4j2. */
  peerClasspath: string;
  java: string;
  javaVersion: string;
}

export function benchStackConfig(): StackConfig {
  const env = stackEnv();
  return loadStackConfig({
    ...env,
    KAFKA_VERSION: env.BENCH_KAFKA_VERSION?.trim() || DEFAULT_BENCH_KAFKA_VERSION,
    MIRRORDECK_STACK_DIR: env.BENCH_STACK_DIR?.trim() || ".stack-bench",
    EAST_KAFKA_PORT: "39092",
    EAST_CONTROLLER_PORT: "39093",
    WEST_KAFKA_PORT: "49092",
    WEST_CONTROLLER_PORT: "49093",
    KAFKA_HEAP_OPTS: env.BENCH_KAFKA_HEAP_OPTS?.trim() || "-Xms512m -Xmx1g",
  });
}

export async function startBenchStack(report: (line: string) => void): Promise<BenchStack> {
  const config = benchStackConfig();
  await stackUp({ config, report: (line) => report(`stack: ${line}`) });
  const libsDir = path.join(config.stackDir, "bench-peer", config.kafkaVersion, "libs");
  await ensureMavenLibs({
    pomFile: path.join(repoRoot, "bench", "peer", "pom.xml"),
    properties: { "kafka.version": config.kafkaVersion },
    libsDir,
    artifact: { groupId: "org.apache.kafka", artifactId: "connect-mirror", version: config.kafkaVersion },
    label: `MirrorMaker 2 and kafka-tools ${config.kafkaVersion}`,
    versionVariable: "BENCH_KAFKA_VERSION",
    repoRoot,
    report: (line) => report(`peer: ${line}`),
  });
  const java = await requireJava(config.kafkaMajor);
  const [east, west] = config.clusters;
  return {
    config,
    kafkaVersion: config.kafkaVersion,
    east: east!.bootstrap,
    west: west!.bootstrap,
    peerClasspath: `${libsDir}/*`,
    java: java.executable,
    javaVersion: java.versionLine,
  };
}
