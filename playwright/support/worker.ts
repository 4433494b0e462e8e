import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { e2eDatabaseUrl, e2eQueuePrefix, e2eSecretKey } from "../e2e-env.ts";

const repoRoot = path.resolve(import.meta.dirname, "../..");

/**
 * A real worker (the production bundle) on this run's database and queues. With `onOutput`, its
 * output goes there (and to this process's) instead of only here.
 */
export function startWorker(name: string, onOutput?: (text: string) => void): ChildProcess {
  const child = spawn(process.execPath, [path.join(repoRoot, "apps/worker/dist/main.js")], {
    cwd: repoRoot,
    env: {
      ...process.env,
      DATABASE_URL: e2eDatabaseUrl,
      MIRRORDECK_WORKER_ID: `e2e-${name}-${process.pid}`,
      MIRRORDECK_QUEUE_PREFIX: e2eQueuePrefix,
      MIRRORDECK_SECRET_KEY: e2eSecretKey,
      MIRRORDECK_METRICS_PORT: "0", // several run at once; the integration tests cover it
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", onOutput ? "pipe" : "inherit", onOutput ? "pipe" : "inherit"],
  });
  if (onOutput) {
    for (const stream of [child.stdout, child.stderr]) {
      stream?.on("data", (chunk: Buffer) => {
        process.stdout.write(chunk);
        onOutput(chunk.toString("utf8"));
      });
    }
  }
  return child;
}

export async function stopWorker(worker: ChildProcess | undefined): Promise<void> {
  if (worker === undefined || worker.exitCode !== null) return;
  worker.kill("SIGTERM");
  await new Promise((resolve) => worker.once("exit", resolve));
}
