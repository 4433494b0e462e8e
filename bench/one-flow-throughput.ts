// One flow, one worker process: how fast does a 1 KB × 6-partition backlog replicate east→west?
// `npx tsx bench/one-flow-throughput.ts [records]` — prints records/s, MB/s, p99 latency and
// worker RSS. A smoke measurement for the engine; `npm run bench` (MM2 side by side) is separate.
import "../scripts/load-dotenv.ts";
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { flowMetricsSnapshotSchema } from "@mirrordeck/contracts";
import { Redis } from "ioredis";
import { repoRoot } from "../scripts/db/paths.ts";
import { stackUp } from "../scripts/stack/index.ts";
import { createFlowRow, migratedDatabaseWithClusters } from "../scripts/test-support/flow-fixtures.ts";
import {
  createTopic,
  deleteTopics,
  eastBootstrap,
  produceKeyed,
  topicEndOffsets,
  uniqueName,
  waitFor,
  westBootstrap,
} from "../scripts/test-support/kafka-records.ts";

const RECORDS = Number(process.argv[2] ?? 200_000);
const PARTITIONS = 6;

await stackUp();
const fixture = await migratedDatabaseWithClusters();
const topic = uniqueName("bench-1k");
await createTopic(eastBootstrap, topic, PARTITIONS);
console.log(`producing ${RECORDS} records of 1 KB to ${topic}…`);
const producedAt = Date.now();
await produceKeyed(eastBootstrap, topic, RECORDS, { valueBytes: 1024, batch: 1000 });
console.log(`produced in ${((Date.now() - producedAt) / 1000).toFixed(1)} s`);

const flowId = await createFlowRow(fixture, { name: topic, topicsInclude: topic.replace(/[.-]/g, "\\$&") });
await fixture.db.flow.update({ where: { id: flowId }, data: { enabled: true } });
const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
let p99 = 0;
const sub = redis.duplicate();
await sub.subscribe(`mirrordeck:metrics:${flowId}`);
sub.on("message", (_c, message) => {
  const s = flowMetricsSnapshotSchema.parse(JSON.parse(message));
  for (const p of s.partitions)
    if (p.latencyP99Ms !== null && p.recordsPerSec > 0) p99 = Math.max(p99, p.latencyP99Ms);
});

const started = Date.now();
const worker: ChildProcess = spawn(
  process.execPath,
  ["--import", "tsx", path.join(repoRoot, "apps/worker/src/main.ts")],
  {
    cwd: repoRoot,
    env: { ...process.env, DATABASE_URL: fixture.url, MIRRORDECK_WORKER_ID: "bench", LOG_LEVEL: "warn" },
    stdio: ["ignore", "inherit", "inherit"],
  },
);
let peakRssKb = 0;
const rssTimer = setInterval(() => {
  try {
    const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${worker.pid}/status`, "utf8"))?.[1] ?? 0);
    peakRssKb = Math.max(peakRssKb, kb);
  } catch {}
}, 250);
let firstAt = 0;
await waitFor(
  async () => {
    const copied = (await topicEndOffsets(westBootstrap, `east.${topic}`)).reduce((a, b) => a + b, 0);
    if (copied > 0 && firstAt === 0) firstAt = Date.now();
    return copied >= RECORDS;
  },
  600_000,
  "the backlog on west",
);
const doneAt = Date.now();
clearInterval(rssTimer);
const seconds = (doneAt - firstAt) / 1000;
console.log(
  JSON.stringify({
    records: RECORDS,
    startToFirstRecordS: (firstAt - started) / 1000,
    copySeconds: seconds,
    recordsPerSec: Math.round(RECORDS / seconds),
    mbPerSec: Number(((RECORDS * 1024) / seconds / 1e6).toFixed(1)),
    // Backlog records wait in the source before they are copied: this is end-to-end age, not the
    // steady-state latency (measure that with live traffic, e.g. the demo).
    maxP99AgeMs: p99,
    workerPeakRssMb: Math.round(peakRssKb / 1024),
  }),
);
worker.kill("SIGTERM");
await new Promise((r) => worker.once("exit", r));
sub.disconnect();
redis.disconnect();
await deleteTopics(eastBootstrap, [topic]);
await deleteTopics(westBootstrap, [`east.${topic}`]);
await fixture.cleanup();
