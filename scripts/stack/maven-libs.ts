// A directory of jars resolved from Maven Central with `mvn dependency:copy-dependencies`, shared by
// the Kafka broker (scripts/stack/pom.xml) and the test support's connect-mirror-client
// (scripts/interop/pom.xml). Maven runs into a scratch directory next to the libs dir (online first,
// then offline from ~/.m2 when the artifact is there) that is renamed into place together with a
// completion marker, so an interrupted resolution is simply redone and a completed one is reused
// without running Maven at all. Callers serialize resolutions of the same libs dir with a lock.
import { existsSync, mkdirSync, readdirSync, renameSync, rmdirSync, rmSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import { writeFileAtomic } from "./file-utils.ts";
import { elapsed, type Reporter } from "./progress.ts";
import { CommandNotFoundError, outputTail, runCommand } from "./run-command.ts";
import { StackError } from "./stack-error.ts";

export interface MavenArtifact {
  /** e.g. "org.apache.kafka". */
  groupId: string;
  /** e.g. "kafka_2.13". */
  artifactId: string;
  version: string;
}

export interface MavenLibsRequest {
  /** The pom whose dependencies are copied. */
  pomFile: string;
  /** Maven -D properties, e.g. `{ "kafka.version": "4.4.0" }`. */
  properties: Record<string, string>;
  /** Where the jars end up, `<...>/<version>/libs`; its parent holds the scratch dirs. */
  libsDir: string;
  /** The artifact the pom resolves: its jar in libsDir means the resolution is complete. */
  artifact: MavenArtifact;
  /** What is resolved, in messages: "Kafka 4.4.0 jars", "connect-mirror-client 4.3.1". */
  label: string;
  /** The environment variable that chose the version, named when Maven cannot resolve it. */
  versionVariable: string;
  /** Maven's working directory; messages show libsDir relative to it. */
  repoRoot: string;
  report: Reporter;
}

const MARKER = ".complete";

function artifactJar({ artifactId, version }: MavenArtifact): string {
  return `${artifactId}-${version}.jar`;
}

/** Whether `libsDir` holds a completed resolution (a marker and the artifact's jar). */
export function mavenLibsComplete({
  libsDir,
  artifact,
}: Pick<MavenLibsRequest, "libsDir" | "artifact">): boolean {
  return existsSync(path.join(libsDir, MARKER)) && existsSync(path.join(libsDir, artifactJar(artifact)));
}

function inLocalMavenRepository({ groupId, artifactId, version }: MavenArtifact): boolean {
  return existsSync(path.join(homedir(), ".m2", "repository", ...groupId.split("."), artifactId, version));
}

async function mvnCopyDependencies(request: MavenLibsRequest, outputDir: string, offline: boolean) {
  const args = [
    "-B",
    "-q",
    "-Dstyle.color=never",
    ...(offline ? ["-o"] : []),
    "-f",
    request.pomFile,
    "dependency:copy-dependencies",
    ...Object.entries(request.properties).map(([key, value]) => `-D${key}=${value}`),
    `-DoutputDirectory=${outputDir}`,
  ];
  try {
    return await runCommand("mvn", args, { cwd: request.repoRoot });
  } catch (error) {
    if (error instanceof CommandNotFoundError) {
      throw new StackError(
        `Maven is required to fetch ${request.label} but \`mvn\` was not found; ` +
          "install it with: apt-get install -y maven",
      );
    }
    throw error;
  }
}

/** Run Maven into `scratch` (online, then offline from ~/.m2 if that fails); returns the jar names. */
async function resolveInto(request: MavenLibsRequest, scratch: string): Promise<string[]> {
  const { artifact } = request;
  let result = await mvnCopyDependencies(request, scratch, false);
  if (result.code !== 0 && inLocalMavenRepository(artifact)) {
    request.report("Maven failed online; retrying offline from ~/.m2...");
    rmSync(scratch, { recursive: true, force: true });
    result = await mvnCopyDependencies(request, scratch, true);
  }
  if (result.code !== 0) {
    throw new StackError(
      `mvn could not resolve ${artifact.groupId}:${artifact.artifactId}:${artifact.version} (exit ${result.code}). ` +
        `Is ${request.versionVariable} right and Maven Central reachable?\n${outputTail(result.output)}`,
    );
  }
  const jars = readdirSync(scratch).filter((name) => name.endsWith(".jar"));
  if (!jars.includes(artifactJar(artifact))) {
    throw new StackError(`mvn finished but ${scratch} has no ${artifactJar(artifact)}`);
  }
  return jars;
}

/**
 * Resolve the request's jars into its libs dir unless that already holds a completed resolution.
 * The caller holds the lock that covers the libs dir (so no scratch dir left beside it is live).
 */
export async function ensureMavenLibs(request: MavenLibsRequest): Promise<void> {
  if (mavenLibsComplete(request)) return;
  const { libsDir, report } = request;
  const versionDir = path.dirname(libsDir);
  mkdirSync(versionDir, { recursive: true });
  // Scratch dirs of earlier, interrupted resolutions.
  for (const entry of readdirSync(versionDir)) {
    if (entry.startsWith("libs.tmp-")) rmSync(path.join(versionDir, entry), { recursive: true, force: true });
  }
  const scratch = path.join(versionDir, `libs.tmp-${process.pid}`);
  const start = performance.now();
  report(`resolving ${request.label} from Maven Central...`);
  let jars: string[];
  try {
    jars = await resolveInto(request, scratch);
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
    `${JSON.stringify({ version: request.artifact.version, jars: jars.length, resolvedAt: new Date().toISOString() })}\n`,
  );
  rmSync(libsDir, { recursive: true, force: true });
  renameSync(scratch, libsDir);
  report(
    `resolved ${jars.length} jars into ${path.relative(request.repoRoot, libsDir)} in ${elapsed(start)}`,
  );
}
