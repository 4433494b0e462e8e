// The Kafka broker's jars, resolved from Maven Central with scripts/stack/pom.xml into
// <stackDir>/kafka/<version>/libs (see maven-libs.ts: an interrupted resolution is simply redone and
// a completed one is reused without running Maven at all).
import { ensureMavenLibs } from "./maven-libs.ts";
import type { Reporter } from "./progress.ts";
import { kafkaLibsDir, type StackConfig } from "./stack-config.ts";

export interface KafkaDistribution {
  version: string;
  major: number;
  libsDir: string;
  /** Java classpath wildcard for the libs dir. */
  classpath: string;
}

/** Resolve the broker's jars unless already there; the caller holds the stack lock. */
export async function ensureKafkaDistribution(
  config: StackConfig,
  report: Reporter,
): Promise<KafkaDistribution> {
  const libsDir = kafkaLibsDir(config);
  await ensureMavenLibs({
    pomFile: config.pomFile,
    properties: { "kafka.version": config.kafkaVersion, "kafka.major": String(config.kafkaMajor) },
    libsDir,
    artifact: { groupId: "org.apache.kafka", artifactId: "kafka_2.13", version: config.kafkaVersion },
    label: `Kafka ${config.kafkaVersion} jars`,
    versionVariable: "KAFKA_VERSION",
    repoRoot: config.repoRoot,
    report,
  });
  return {
    version: config.kafkaVersion,
    major: config.kafkaMajor,
    libsDir,
    classpath: `${libsDir}/*`,
  };
}
