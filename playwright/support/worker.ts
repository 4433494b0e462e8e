import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { e2eDatabaseUrl, e2eQueuePrefix, e2eSecretKey } from "../e2e-env.ts";

const repoRoot = path.resolve(import.meta.dirname, "../..");

/** A real worker (the production bundle) on this run's database and queues. */
export function startWorker(name: string): ChildProcess {
  return spawn(process.execPath, [path.join(repoRoot, "apps/worker/dist/main.js")], {
    cwd: repoRoot,
    env: {
      ...process.env,
      DATABASE_URL: e2eDatabaseUrl,
      MIRRORDECK_WORKER_ID: `e2e-${name}-${process.pid}`,
      MIRRORDECK_QUEUE_PREFIX: e2eQueuePrefix,
      MIRRORDECK_SECRET_KEY: e2eSecretKey,
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
}

export async function stopWorker(worker: ChildProcess | undefined): Promise<void> {
  if (worker === undefined || worker.exitCode !== null) return;
  worker.kill("SIGTERM");
  await new Promise((resolve) => worker.once("exit", resolve));
}
