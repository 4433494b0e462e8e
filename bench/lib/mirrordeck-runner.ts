// MirrorDeck as the benchmark runs it: the production worker bundle (apps/worker/dist/main.js, built
// by esbuild as the Dockerfile does) in one Node process, with its own scratch database and queue
// prefix, replicating one flow whose settings are MM2's defaults (see the report's settings).
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { flowSettingsSchema } from "../../packages/contracts/src/index.ts";
import { createDatabase, type Database, ensureFlow, upsertCluster } from "../../packages/db/src/index.ts";
import { applyMigrations } from "../../packages/db/src/migrations/index.ts";
import { migrationsDir } from "../../scripts/db/paths.ts";
import { repoRoot } from "../../scripts/stack/stack-config.ts";
import { createScratchDatabase } from "../../scripts/test-support/scratch-database.ts";
import type { BenchStack } from "./bench-stack.ts";

export const WORKER_BUNDLE = path.join(repoRoot, "apps", "worker", "dist", "main.js");

/** The flow settings every MirrorDeck run uses: MM2's defaults (flowSettingsSchema's). */
export const MIRRORDECK_SETTINGS = flowSettingsSchema.parse({});

export interface MirrorDeckOptions {
  /** Regex of the source topics (MM2's `topics`). */
  topics: string;
  /** Settings over MM2's defaults (e.g. exactlyOnce). */
  settings?: Record<string, unknown>;
  /** Extra `node` flags, e.g. --cpu-prof. */
  nodeFlags?: string[];
  logFile?: string;
}

export class MirrorDeckRun {
  private worker: ChildProcess | undefined;
  private exited: string | null = null;
  private erroringSince = 0;

  private constructor(
    private readonly db: Database,
    private readonly drop: () => Promise<void>,
    readonly databaseUrl: string,
    readonly flowId: string,
  ) {}

  static async prepare(stack: BenchStack, options: MirrorDeckOptions): Promise<MirrorDeckRun> {
    const scratch = await createScratchDatabase("md_bench");
    await applyMigrations(scratch.url, migrationsDir);
    const db = createDatabase(scratch.url, { maxConnections: 2 });
    const east = await upsertCluster(db, { alias: "east", bootstrapServers: stack.east });
    const west = await upsertCluster(db, { alias: "west", bootstrapServers: stack.west });
    const flow = await ensureFlow(db, {
      name: `bench-${randomBytes(3).toString("hex")}`,
      sourceClusterId: east.id,
      targetClusterId: west.id,
      topicsInclude: options.topics,
      replicationFactor: 1,
      ...(options.settings && { settings: options.settings }),
    });
    await db.flow.update({ where: { id: flow.id }, data: { enabled: true } });
    return new MirrorDeckRun(db, scratch.drop, scratch.url, flow.id);
  }

  get pid(): number {
    return this.worker?.pid ?? 0;
  }

  /** Starts the worker; it picks the enabled flow up at once. */
  start(options: Pick<MirrorDeckOptions, "nodeFlags">): void {
    this.worker = spawn(process.execPath, [...(options.nodeFlags ?? []), WORKER_BUNDLE], {
      cwd: repoRoot,
      env: {
        ...process.env,
        DATABASE_URL: this.databaseUrl,
        MIRRORDECK_WORKER_ID: "bench-worker",
        MIRRORDECK_QUEUE_PREFIX: `bench-${randomBytes(4).toString("hex")}`,
        LOG_LEVEL: "warn",
      },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    this.worker.stderr?.on("data", (c: Buffer) => {
      stderr = (stderr + c.toString("utf8")).slice(-4000);
    });
    this.worker.on("exit", (code, signal) => {
      this.exited = `the MirrorDeck worker exited (${signal ?? code}):\n${stderr}`;
    });
  }

  /** Why the run cannot finish: the worker is gone, or the flow has been in ERROR for 20 s. */
  async failure(): Promise<string | null> {
    if (this.exited) return this.exited;
    const flow = await this.db.flow.findUnique({ where: { id: this.flowId } });
    if (flow?.state !== "ERROR") {
      this.erroringSince = 0;
      return null;
    }
    if (this.erroringSince === 0) this.erroringSince = Date.now();
    return Date.now() - this.erroringSince > 20_000 ? `the flow is in error: ${flow.stateReason}` : null;
  }

  /** SIGTERM (a clean stop that writes final positions and, with --cpu-prof, the profile). */
  async stop(): Promise<void> {
    const worker = this.worker;
    if (worker && worker.exitCode === null && worker.signalCode === null) {
      const exited = new Promise((r) => worker.once("exit", r));
      worker.kill("SIGTERM");
      const timer = setTimeout(() => worker.kill("SIGKILL"), 30_000);
      await exited;
      clearTimeout(timer);
    }
    await this.db.$disconnect();
    await this.drop();
  }
}
