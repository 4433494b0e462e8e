// The product's own processes, as an operator runs them: a worker (apps/worker) or the web app
// (the production build). Each can be killed with any signal and started again; output goes to a
// log file per process.
import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "../../scripts/db/paths.ts";

export class AppProcess {
  private child: ChildProcess | undefined;
  private exit: Promise<number | null> = Promise.resolve(null);
  starts = 0;

  constructor(
    readonly name: string,
    private readonly command: string[],
    private readonly env: Record<string, string>,
    private readonly logFile: string,
  ) {}

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  start(): void {
    mkdirSync(path.dirname(this.logFile), { recursive: true });
    const log = createWriteStream(this.logFile, { flags: "a" });
    log.write(`── start ${++this.starts} at ${new Date().toISOString()}\n`);
    // Node itself, not npx: the pid is the process's own, so a signal reaches it and nothing else.
    const child = spawn(process.execPath, this.command, {
      cwd: repoRoot,
      env: { ...process.env, ...this.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout?.pipe(log, { end: false });
    child.stderr?.pipe(log, { end: false });
    this.exit = new Promise((resolve) =>
      child.once("exit", (code, signal) => {
        log.end(`── exit ${code ?? signal} at ${new Date().toISOString()}\n`);
        resolve(code);
      }),
    );
    this.child = child;
  }

  /** Sends `signal` and waits until the process is gone; resolves to its exit code (null if killed). */
  async kill(signal: NodeJS.Signals): Promise<number | null> {
    if (!this.running) return null;
    this.child!.kill(signal);
    return this.exit;
  }

  exited(): Promise<number | null> {
    return this.exit;
  }
}

export function workerProcess(
  id: string,
  env: Record<string, string>,
  logDir: string,
  nodeArgs: string[] = [],
): AppProcess {
  return new AppProcess(
    id,
    [...nodeArgs, "--import", "tsx", path.join(repoRoot, "apps/worker/src/main.ts")],
    // No metrics port unless asked for: several workers share this host.
    { LOG_LEVEL: "warn", MIRRORDECK_METRICS_PORT: "0", ...env, MIRRORDECK_WORKER_ID: id },
    path.join(logDir, `${id}.log`),
  );
}

/** `next start` of the production build; `npm run build` must have run. */
export function webProcess(
  port: number,
  env: Record<string, string>,
  logDir: string,
  nodeArgs: string[] = [],
): AppProcess {
  if (!existsSync(path.join(repoRoot, "apps/web/.next/BUILD_ID"))) {
    throw new Error("the web app is not built: run `npm run build` first (npm test and test:chaos do)");
  }
  return new AppProcess(
    "web",
    [
      ...nodeArgs,
      path.join(repoRoot, "node_modules/next/dist/bin/next"),
      "start",
      "apps/web",
      "-H",
      "127.0.0.1",
      "-p",
      String(port),
    ],
    { ...env, NODE_ENV: "production" },
    path.join(logDir, "web.log"),
  );
}
