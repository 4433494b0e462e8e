// One chaos scenario's world: a scratch database (reached through a cuttable proxy), a Redis of
// its own, real worker processes (and the web app when asked), a keyed producer writing to east
// all along, and a flow copying it to west. A scenario breaks something, then `finish()` checks
// every record and writes the scenario's row of the report.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { PgPositionStore } from "../../packages/db/src/index.ts";
import { repoRoot } from "../../scripts/db/paths.ts";
import {
  producedIndices,
  startProducer,
  type TrafficProcess,
} from "../../scripts/test-support/failover-traffic.ts";
import {
  createFlowRow,
  type FlowFixture,
  migratedDatabaseWithClusters,
} from "../../scripts/test-support/flow-fixtures.ts";
import {
  createTopic,
  deleteTopics,
  eastBootstrap,
  topicEndOffsets,
  uniqueName,
  waitFor,
  westBootstrap,
} from "../../scripts/test-support/kafka-records.ts";
import { type AppProcess, webProcess, workerProcess } from "./app-process.ts";
import { recordScenario, type ScenarioRow } from "./chaos-report.ts";
import { CuttableProxy } from "./cuttable-proxy.ts";
import { exactlyOnceMode } from "./profile.ts";
import { compareReplica, type ReplicaCheck, readTopic } from "./replica-check.ts";
import { freePort, ScratchRedis } from "./scratch-redis.ts";

export interface RigOptions {
  scenario: string;
  workers?: number;
  partitions?: number;
  /** Records per second the producer writes while the scenario runs. */
  rate?: number;
  /** Also run the web app (production build) against the same database and Redis. */
  web?: boolean;
  /** Flow settings other than the defaults (as stored: seconds and milliseconds as named). */
  settings?: Record<string, number | boolean>;
}

export interface ScenarioResult {
  row: ScenarioRow;
  check: ReplicaCheck;
  /** Acknowledged by the source but not found in it afterwards (Kafka's side of the promise). */
  ackedMissingAtSource: number;
}

export const CHAOS_BOOTSTRAP_TOKEN = "chaos-bootstrap-token-0123456789abcdef";

export class ChaosRig {
  readonly topic: string;
  readonly remoteTopic: string;
  readonly workers: AppProcess[] = [];
  web: AppProcess | undefined;
  webUrl = "";
  flowId = "";
  private producer: TrafficProcess | undefined;
  private readonly producedLog: string;
  private readonly startedAt = Date.now();

  private constructor(
    readonly options: Required<Omit<RigOptions, "web" | "settings">> & {
      web: boolean;
      settings: Record<string, number | boolean>;
    },
    readonly fixture: FlowFixture,
    readonly postgres: CuttableProxy,
    readonly redis: ScratchRedis,
    readonly logDir: string,
  ) {
    this.topic = uniqueName(`chaos-${options.scenario}`);
    this.remoteTopic = `east.${this.topic}`;
    this.producedLog = path.join(logDir, "produced");
  }

  static async start(options: RigOptions): Promise<ChaosRig> {
    const resolved = { workers: 2, partitions: 6, rate: 400, web: false, settings: {}, ...options };
    if (exactlyOnceMode) resolved.settings = { exactlyOnce: true, ...resolved.settings };
    const logDir = path.join(repoRoot, ".stack/chaos", `${options.scenario}-${Date.now().toString(36)}`);
    mkdirSync(logDir, { recursive: true });
    const fixture = await migratedDatabaseWithClusters();
    const direct = new URL(fixture.url);
    const postgres = new CuttableProxy(direct.hostname, Number(direct.port || 5432));
    await postgres.start();
    const redis = await ScratchRedis.start();
    const rig = new ChaosRig(resolved, fixture, postgres, redis, logDir);
    await rig.launch();
    return rig;
  }

  /** The database URL the product's processes use: through the proxy. */
  get appDatabaseUrl(): string {
    const url = new URL(this.fixture.url);
    url.port = String(this.postgres.port);
    return url.toString();
  }

  private get appEnv(): Record<string, string> {
    return {
      DATABASE_URL: this.appDatabaseUrl,
      REDIS_URL: this.redis.url,
      MIRRORDECK_QUEUE_PREFIX: "chaos",
    };
  }

  private async launch(): Promise<void> {
    const { partitions, workers, rate, web } = this.options;
    await createTopic(eastBootstrap, this.topic, partitions);
    this.flowId = await createFlowRow(this.fixture, {
      name: this.topic,
      topicsInclude: this.topic.replace(/[.-]/g, "\\$&"),
    });
    await this.fixture.db.flow.update({
      where: { id: this.flowId },
      data: { enabled: true, tasksMax: partitions, settings: this.options.settings },
    });
    for (let i = 1; i <= workers; i++) this.addWorker(`w${i}`).start();
    if (web) await this.startWeb();
    this.producer = startProducer(eastBootstrap, this.topic, rate, this.producedLog);
  }

  addWorker(id: string): AppProcess {
    const worker = workerProcess(id, this.appEnv, this.logDir);
    this.workers.push(worker);
    return worker;
  }

  private async startWeb(): Promise<void> {
    const port = await freePort();
    this.webUrl = `http://127.0.0.1:${port}`;
    this.web = webProcess(
      port,
      { ...this.appEnv, MIRRORDECK_BOOTSTRAP_TOKEN: CHAOS_BOOTSTRAP_TOKEN },
      this.logDir,
    );
    this.web.start();
    await this.waitForWeb();
  }

  async waitForWeb(timeoutMs = 60_000): Promise<number> {
    return waitFor(
      async () => (await fetch(`${this.webUrl}/api/v1/health`).catch(() => null))?.ok === true,
      timeoutMs,
      "the web app to answer",
    );
  }

  /** This flow's positions of the scenario's topic (the flow also copies east's heartbeats). */
  async positions() {
    const all = await new PgPositionStore(this.fixture.db).read(this.flowId);
    return all.filter((p) => p.topic === this.topic);
  }

  async copied(): Promise<number> {
    return (await topicEndOffsets(westBootstrap, this.remoteTopic)).reduce((a, b) => a + b, 0);
  }

  /** Until the live workers all own partitions and the target has `minRecords`. */
  async waitCopying(minRecords = 500, timeoutMs = 90_000): Promise<void> {
    const live = new Set(this.workers.filter((w) => w.running).map((w) => w.name));
    await waitFor(
      async () => {
        const owners = new Set((await this.positions()).map((p) => p.owner));
        return [...live].every((id) => owners.has(id)) && (await this.copied()) >= minRecords;
      },
      timeoutMs,
      `${live.size} worker(s) sharing the flow and ${minRecords} records copied`,
    );
  }

  /**
   * Waits until every record on the source now is copied and its position stored: the scenario's
   * recovery time when called right after the fault is repaired. Returns seconds.
   */
  async waitCaughtUp(timeoutMs = 120_000): Promise<number> {
    const started = Date.now();
    let ends: number[] = [];
    // The source may still be coming back: its end offsets are the target, so wait for them.
    await waitFor(
      async () => {
        ends = await topicEndOffsets(eastBootstrap, this.topic);
        return ends.length === this.options.partitions;
      },
      timeoutMs,
      "the source's end offsets",
    );
    await waitFor(
      async () => {
        const stored = await this.positions().catch(() => []);
        return ends.every(
          (end, partition) => (stored.find((p) => p.partition === partition)?.nextOffset ?? -1) >= end,
        );
      },
      timeoutMs,
      "the flow to copy everything the source had",
    );
    return (Date.now() - started) / 1000;
  }

  async stopProducer(): Promise<void> {
    await this.producer?.stop();
  }

  /** Stops the producer, waits for the last record, checks every partition and reports. */
  async finish(report: { recoverySeconds: number | null; expectedLost?: number; note?: string }) {
    await this.stopProducer();
    await this.waitCaughtUp(180_000);
    const [source, target] = await Promise.all([
      readTopic(eastBootstrap, this.topic),
      readTopic(westBootstrap, this.remoteTopic),
    ]);
    const check = compareReplica(source, target);
    const acked = producedIndices(this.producedLog).map(String);
    const onSource = new Set(source.map((r) => r.value?.toString() ?? ""));
    const onTarget = new Set(target.map((r) => r.value?.toString() ?? ""));
    const ackedMissingAtSource = acked.filter((i) => !onSource.has(i)).length;
    // Acknowledged, gone from the source (retention) and never copied: lost as well.
    const lostFromSource = acked.filter((i) => !onSource.has(i) && !onTarget.has(i)).length;
    const row: ScenarioRow = {
      scenario: exactlyOnceMode ? `${this.options.scenario} (exactly-once)` : this.options.scenario,
      produced: acked.length,
      sourceRecords: check.source,
      replicated: check.replicated,
      lost: check.lost + lostFromSource,
      expectedLost: report.expectedLost ?? 0,
      duplicates: check.duplicates,
      outOfOrder: check.outOfOrder,
      recoverySeconds: report.recoverySeconds,
      seconds: Math.round((Date.now() - this.startedAt) / 1000),
      note: report.note ?? "",
    };
    recordScenario(row);
    return { row, check, ackedMissingAtSource } satisfies ScenarioResult;
  }

  async close(): Promise<void> {
    await this.producer?.stop().catch(() => {});
    await Promise.all([...this.workers, ...(this.web ? [this.web] : [])].map((p) => p.kill("SIGKILL")));
    await this.redis.kill();
    await this.postgres.close();
    await deleteTopics(eastBootstrap, [this.topic]);
    await deleteTopics(westBootstrap, [this.remoteTopic]);
    await this.fixture.cleanup();
  }
}
