// The Kafka broker's jars, resolved from Maven Central with scripts/stack/pom.xml into
// <stackDir>/kafka/<version>/libs. Maven resolves into a scratch directory that is renamed into
// place together with a completion marker, so an interrupted resolution is simply redone and a
// completed one is reused without running Maven at all.
import { existsSync, mkdirSync, readdirSync, renameSync, rmdirSync, rmSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import { writeFileAtomic } from "./file-utils.ts";
import { elapsed, type Reporter } from "./progress.ts";
import { CommandNotFoundError, outputTail, runCommand } from "./run-command.ts";
import { kafkaLibsDir, type StackConfig } from "./stack-config.ts";
import { StackError } from "./stack-error.ts";

export interface KafkaDistribution {
  version: string;
  major: number;
  libsDir: string;
  /** Java classpath wildcard for the libs dir. */
  classpath: string;
}

const MARKER = ".complete";

function distribution(config: StackConfig, libsDir: string): KafkaDistribution {
  return {
    version: config.kafkaVersion,
    major: config.kafkaMajor,
    libsDir,
    classpath: `${libsDir}/*`,
  };
}

function isComplete(config: StackConfig, libsDir: string): boolean {
  return (
    existsSync(path.join(libsDir, MARKER)) &&
    existsSync(path.join(libsDir, `kafka_2.13-${config.kafkaVersion}.jar`))
  );
}

function inLocalMavenRepository(version: string): boolean {
  return existsSync(
    path.join(homedir(), ".m2", "repository", "org", "apache", "kafka", "kafka_2.13", version),
  );
}

async function mvnCopyDependencies(config: StackConfig, outputDir: string, offline: boolean) {
  const args = [
    "-B",
    "-q",
    "-Dstyle.color=never",
    ...(offline ? ["-o"] : []),
    "-f",
    config.pomFile,
    "dependency:copy-dependencies",
    `-Dkafka.version=${config.kafkaVersion}`,
    `-Dkafka.major=${config.kafkaMajor}`,
    `-DoutputDirectory=${outputDir}`,
  ];
  try {
    return await runCommand("mvn", args, { cwd: config.repoRoot });
  } catch (error) {
    if (error instanceof CommandNotFoundError) {
      throw new StackError(
        `Maven is required to fetch Kafka ${config.kafkaVersion} jars but \`mvn\` was not found; ` +
          "install it with: apt-get install -y maven",
      );
    }
    throw error;
  }
}

/** Run Maven into `scratch` (online, then offline from ~/.m2 if that fails); returns the jar names. */
async function resolveInto(config: StackConfig, scratch: string, report: Reporter): Promise<string[]> {
  let result = await mvnCopyDependencies(config, scratch, false);
  if (result.code !== 0 && inLocalMavenRepository(config.kafkaVersion)) {
    report("Maven failed online; retrying offline from ~/.m2...");
    rmSync(scratch, { recursive: true, force: true });
    result = await mvnCopyDependencies(config, scratch, true);
  }
  if (result.code !== 0) {
    throw new StackError(
      `mvn could not resolve org.apache.kafka:kafka_2.13:${config.kafkaVersion} (exit ${result.code}). ` +
        `Is KAFKA_VERSION right and Maven Central reachable?\n${outputTail(result.output)}`,
    );
  }
  const jars = readdirSync(scratch).filter((name) => name.endsWith(".jar"));
  if (!jars.includes(`kafka_2.13-${config.kafkaVersion}.jar`)) {
    throw new StackError(`mvn finished but ${scratch} has no kafka_2.13-${config.kafkaVersion}.jar`);
  }
  return jars;
}

export async function ensureKafkaDistribution(
  config: StackConfig,
  report: Reporter,
): Promise<KafkaDistribution> {
  const libsDir = kafkaLibsDir(config);
  if (isComplete(config, libsDir)) return distribution(config, libsDir);

  const versionDir = path.dirname(libsDir);
  mkdirSync(versionDir, { recursive: true });
  // Scratch dirs of earlier, interrupted resolutions (we hold the stack lock, so none is live).
  for (const entry of readdirSync(versionDir)) {
    if (entry.startsWith("libs.tmp-")) rmSync(path.join(versionDir, entry), { recursive: true, force: true });
  }
  const scratch = path.join(versionDir, `libs.tmp-${process.pid}`);
  const start = performance.now();
  report(`resolving Kafka ${config.kafkaVersion} jars from Maven Central...`);
  let jars: string[];
  try {
    jars = await resolveInto(config, scratch, report);
  } catch (error) {
    rmSync(scratch, { recursive: true, force: true });
    try {
      rmdirSync(versionDir); // only if empty: don't leave a directory for a version that doesn't resolve
    } catch {
      // holds something else (e.g. an earlier complete libs dir)
    }
    throw error;
  }
  writeFileAtomic(
    path.join(scratch, MARKER),
    `${JSON.stringify({ version: config.kafkaVersion, jars: jars.length, resolvedAt: new Date().toISOString() })}\n`,
  );
  rmSync(libsDir, { recursive: true, force: true });
  renameSync(scratch, libsDir);
  report(`resolved ${jars.length} jars into ${path.relative(config.repoRoot, libsDir)} in ${elapsed(start)}`);
  return distribution(config, libsDir);
}
