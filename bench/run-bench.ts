// `npm run bench [-- --quick] [--scenarios 1,2,3,4,5,6] [--reps N] [--tools mirrordeck,mm2] [--profile] [--keep-stack]`
// MirrorDeck and Apache Kafka's MirrorMaker 2 side by side on the same brokers, topics and machine,
// in one run, with the ceiling of Kafka's own perf tools; results in bench/results/ (see README).
import "../scripts/load-dotenv.ts";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { crc32cImplementation } from "../packages/replication/src/kafkajs/crc32c.ts";
import { stackDown } from "../scripts/stack/index.ts";
import { repoRoot } from "../scripts/stack/stack-config.ts";
import { startBenchStack } from "./lib/bench-stack.ts";
import { BenchAdmin } from "./lib/cluster-admin.ts";
import { newestProfile, topFrames } from "./lib/cpu-profile.ts";
import { MIRRORDECK_SETTINGS, WORKER_BUNDLE } from "./lib/mirrordeck-runner.ts";
import { EXACTLY_ONCE_PROPERTIES, MM2_JVM_OPTIONS, mm2Properties } from "./lib/mirrormaker-runner.ts";
import type { BenchContext, Tool } from "./lib/replicate.ts";
import { type BenchResults, writeResults } from "./lib/report.ts";
import {
  compressedSource,
  exactlyOnceCost,
  FULL,
  latencyUnderLoad,
  manySmallTopics,
  QUICK,
  steadyThroughput,
} from "./lib/scenarios.ts";
import { median } from "./lib/stats.ts";

const { values: args } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    scenarios: { type: "string", default: "1,2,3,4,5,6" },
    reps: { type: "string" },
    profile: { type: "boolean", default: false },
    tools: { type: "string", default: "mirrordeck,mm2" },
    codecs: { type: "string" },
    "keep-stack": { type: "boolean", default: false },
  },
});
const mode = args.quick ? "quick" : "full";
const sizes = { ...(args.quick ? QUICK : FULL) };
if (args.reps) sizes.reps = Math.max(1, Number(args.reps));
if (args.codecs) sizes.codecs = args.codecs.split(",").map((c) => c.trim());
const wanted = new Set(args.scenarios.split(",").map((s) => s.trim()));
const tools = args.tools.split(",").map((t) => t.trim());
for (const t of tools) if (t !== "mirrordeck" && t !== "mm2") throw new Error(`--tools: unknown tool ${t}`);

const started = Date.now();
const report = (line: string) => {
  const t = ((Date.now() - started) / 1000).toFixed(0).padStart(5);
  console.log(`[bench ${t} s] ${line}`);
};

const workDir = path.join(repoRoot, ".stack-bench", "runs", new Date().toISOString().replace(/[:.]/g, "-"));
mkdirSync(workDir, { recursive: true });
const profileDir = path.join(workDir, "profiles");

report(
  `${mode} run: scenarios ${[...wanted].join(", ")}, ${sizes.reps} run(s) of each; work files in ${path.relative(repoRoot, workDir)}`,
);
report("building the worker bundle (apps/worker/dist/main.js)");
const build = spawnSync(process.execPath, ["--import", "tsx", "build.ts"], {
  cwd: path.join(repoRoot, "apps", "worker"),
  stdio: "pipe",
});
if (build.status !== 0) throw new Error(`worker build failed:\n${build.stderr.toString()}`);

const stack = await startBenchStack(report);
const east = await BenchAdmin.connect(stack.east);
const west = await BenchAdmin.connect(stack.west);
const ctx: BenchContext = { stack, east, west, workDir, report, tools: tools as Tool[] };
await Promise.all([east.deleteAllExcept(new Set()), west.deleteAllExcept(new Set())]);

const kafkajsVersion = (
  JSON.parse(readFileSync(path.join(repoRoot, "node_modules", "kafkajs", "package.json"), "utf8")) as {
    version: string;
  }
).version;
const results: BenchResults = {
  generatedAt: new Date().toISOString(),
  mode,
  commit: execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: repoRoot }).toString().trim(),
  durationSeconds: 0,
  machine: {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? "unknown",
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    kernel: os.release(),
    node: process.version,
    java: stack.javaVersion,
    kafkaBrokers: `${stack.kafkaVersion} (KRaft, one broker per cluster, both on this machine)`,
    mirrorMaker2: `connect-mirror ${stack.kafkaVersion}`,
    kafkajs: kafkajsVersion,
  },
  settings: {
    mirrordeck: {
      process: `one worker process: node ${path.relative(repoRoot, WORKER_BUNDLE)} (the production bundle)`,
      flow: MIRRORDECK_SETTINGS,
      exactlyOnceFlow: "the same with exactlyOnce: true (scenario 6)",
      tasksMax: 1,
      producer: `acks=all, idempotent, 4 producers (partition % 4), produce requests ≤ 512 KiB per partition encoded in one pass (CRC32C: ${crc32cImplementation()}), one request in flight per partition while the next fetch runs, no compression`,
      consumer: "kafkajs group consumer, 4 partitions processed concurrently",
    },
    mm2: {
      mode: "dedicated (org.apache.kafka.connect.mirror.MirrorMaker --clusters west)",
      jvm: MM2_JVM_OPTIONS.join(" "),
      properties: mm2Properties(stack, "<the scenario's topics>"),
      exactlyOnceProperties: EXACTLY_ONCE_PROPERTIES,
    },
    ceiling:
      "ProducerPerformance (acks=all, linger.ms=5, batch.size=262144, 1,070-byte records ≈ value + key + headers) into west; ConsumerPerformance from east",
    brokers: `KAFKA_HEAP_OPTS ${stack.config.heapOpts.join(" ")}`,
    sizes,
  },
};

const write = () => {
  results.durationSeconds = (Date.now() - started) / 1000;
  const files = writeResults(path.join(repoRoot, "bench", "results"), results);
  report(
    `results: ${[files.markdown, files.json, files.png ?? "(no PNG: Chromium failed)"].map((f) => path.relative(repoRoot, f)).join(", ")}`,
  );
};

try {
  if (wanted.has("1") || wanted.has("3") || wanted.has("4")) {
    if (args.profile) ctx.nodeFlags = ["--cpu-prof", `--cpu-prof-dir=${profileDir}`];
    results.steady = await steadyThroughput(ctx, sizes);
    ctx.nodeFlags = [];
    if (args.profile) {
      const file = newestProfile(profileDir);
      if (file) results.profile = { after: topFrames(file) };
    }
    write();
  }
  if (wanted.has("2")) {
    results.smallTopics = await manySmallTopics(ctx, sizes);
    write();
  }
  if (wanted.has("3") || wanted.has("4")) {
    const mdRate = median(results.steady?.runs.mirrordeck.map((r) => r.recordsPerSec) ?? []);
    // Half of MirrorDeck's scenario 1 rate, never above half the ceiling (a short quick-mode copy
    // can finish between two polls and overstate its rate).
    const ceiling = results.steady?.ceiling.recordsPerSec ?? Number.NaN;
    const base = Math.min(mdRate, ceiling);
    results.latency = await latencyUnderLoad(ctx, sizes, Number.isFinite(base) ? base / 2 : 10_000);
    write();
  }
  if (wanted.has("5")) {
    results.compressed = await compressedSource(ctx, sizes);
    write();
  }
  if (wanted.has("6")) {
    results.exactlyOnce = await exactlyOnceCost(ctx, sizes);
    write();
  }
  report(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
} finally {
  await east.close().catch(() => {});
  await west.close().catch(() => {});
  if (!args["keep-stack"]) await stackDown({ config: stack.config, report: (l) => report(`stack: ${l}`) });
  if (!args.profile) rmSync(profileDir, { recursive: true, force: true });
}
