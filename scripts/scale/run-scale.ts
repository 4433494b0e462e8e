// `npm run scale`: one worker runs 50 flows, one of them over 1,000 topics, on the local brokers;
// the web app's API is loaded with autocannon while they run; the worker's memory per partition is
// read from its Prometheus endpoint. Prints a table and writes .stack/test-reports/scale.md.
// Sized to this machine: 1,000 topics × 2 partitions (2,000 source and 2,000 remote partitions on
// single-node brokers with 512 MB heaps); 10,000 partitions would not fit them.
import "../load-dotenv.ts";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import autocannon from "autocannon";
import { Kafka, logLevel } from "kafkajs";
import { webProcess, workerProcess } from "../../chaos/harness/app-process.ts";
import { freePort } from "../../chaos/harness/scratch-redis.ts";
import { repoRoot } from "../db/paths.ts";
import { stackUp } from "../stack/index.ts";
import { createFlowRow, migratedDatabaseWithClusters } from "../test-support/flow-fixtures.ts";
import { eastBootstrap, waitFor, westBootstrap } from "../test-support/kafka-records.ts";
import { scrape, sumOf } from "../test-support/prometheus-text.ts";

const BIG_TOPICS = 1_000;
const PARTITIONS = 2;
const SMALL_FLOWS = 49;
const RECORDS_PER_TOPIC = 10;
const WEB_PORT = await freePort();
const METRICS_PORT = await freePort();
const TOKEN = "scale-run-bootstrap-token-0123456789abcdef";
const LOAD_SECONDS = 15;
/** Requests a second of the paced load: a hundred operators whose pages refresh every 5 s. */
const PACED_RATE = 20;
const stamp = Date.now().toString(36);
const logDir = path.join(repoRoot, ".stack/scale", stamp);

const log = (message: string) => console.log(`[scale ${new Date().toISOString().slice(11, 19)}] ${message}`);

await stackUp();
const fixture = await migratedDatabaseWithClusters();
const kafkaOf = (bootstrap: string) => new Kafka({ brokers: [bootstrap], logLevel: logLevel.NOTHING });
const east = kafkaOf(eastBootstrap).admin();
const west = kafkaOf(westBootstrap).admin();
await Promise.all([east.connect(), west.connect()]);
const bigTopics = Array.from(
  { length: BIG_TOPICS },
  (_, i) => `scale-${stamp}-big-${String(i).padStart(4, "0")}`,
);
const smallTopics = Array.from({ length: SMALL_FLOWS }, (_, i) => `scale-${stamp}-small-${i}`);
const allTopics = [...bigTopics, ...smallTopics];

// SCALE_CPU_PROFILE=1: the web app and the worker write a .cpuprofile (Chrome DevTools) there when
// they stop.
const cpuProfile = process.env.SCALE_CPU_PROFILE === "1" ? ["--cpu-prof", `--cpu-prof-dir=${logDir}`] : [];
const web = webProcess(
  WEB_PORT,
  { DATABASE_URL: fixture.url, MIRRORDECK_BOOTSTRAP_TOKEN: TOKEN },
  logDir,
  cpuProfile,
);
const worker = workerProcess(
  "scale-worker",
  {
    DATABASE_URL: fixture.url,
    MIRRORDECK_METRICS_PORT: String(METRICS_PORT),
    MIRRORDECK_QUEUE_PREFIX: `scale${stamp}`,
  },
  logDir,
  cpuProfile,
);
const metrics = () => scrape(`http://127.0.0.1:${METRICS_PORT}/metrics`);
const rss = async () => sumOf(await metrics(), "mirrordeck_worker_process_resident_memory_bytes");
const memory = async () => {
  const samples = await metrics();
  return {
    rss: sumOf(samples, "mirrordeck_worker_process_resident_memory_bytes"),
    heap: sumOf(samples, "mirrordeck_worker_nodejs_heap_size_used_bytes"),
  };
};
/**
 * The least memory seen over 30 s once a burst is over: heap used drops to what is live after each
 * major collection, while a single reading lands anywhere between two of them.
 */
const settledMemory = async () => {
  let least = await memory();
  for (let i = 0; i < 30; i++) {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const now = await memory();
    least = { rss: Math.min(least.rss, now.rss), heap: Math.min(least.heap, now.heap) };
  }
  return least;
};

try {
  log(`creating ${allTopics.length} topics × ${PARTITIONS} partitions on east`);
  for (let i = 0; i < allTopics.length; i += 100) {
    await east.createTopics({
      topics: allTopics
        .slice(i, i + 100)
        .map((topic) => ({ topic, numPartitions: PARTITIONS, replicationFactor: 1 })),
      // kafkajs's own wait gives up on UNKNOWN_TOPIC_OR_PARTITION, which a busy broker answers
      // for a while after creating a hundred topics: wait below instead.
      waitForLeaders: false,
    });
  }
  await waitFor(
    async () => {
      for (let i = 0; i < allTopics.length; i += 100) {
        const metadata = await east
          .fetchTopicMetadata({ topics: allTopics.slice(i, i + 100) })
          .catch(() => null); // not known to the broker yet
        const led = (t: { partitions: { leader: number }[] }) =>
          t.partitions.length === PARTITIONS && t.partitions.every((p) => p.leader >= 0);
        if (metadata === null || !metadata.topics.every(led)) return false;
      }
      return true;
    },
    120_000,
    "leaders for every partition",
  );
  const producer = kafkaOf(eastBootstrap).producer();
  await producer.connect();
  await producer.sendBatch({
    topicMessages: allTopics.map((topic) => ({
      topic,
      messages: Array.from({ length: RECORDS_PER_TOPIC }, (_, i) => ({
        key: `k${i}`,
        value: `${topic}:${i}`,
      })),
    })),
  });
  await producer.disconnect();

  worker.start();
  web.start();
  await waitFor(async () => (await rss().catch(() => 0)) > 0, 60_000, "the worker's metrics");
  const idle = await settledMemory();

  // Counted on the run's own topics only (every flow also copies east's heartbeats).
  const copiedOf = async (prefix: string) =>
    (await metrics().catch(() => []))
      .filter((s) => s.name === "mirrordeck_records_copied_total" && s.labels.topic?.startsWith(prefix))
      .reduce((sum, s) => sum + s.value, 0);
  /** Enables the flows, waits until their records are copied; the copy time and the memory then. */
  const phase = async (flowIds: string[], prefix: string, records: number) => {
    const startedAt = Date.now();
    await fixture.db.flow.updateMany({ where: { id: { in: flowIds } }, data: { enabled: true } });
    await waitFor(async () => (await copiedOf(prefix)) >= records, 600_000, `${records} records copied`);
    const seconds = (Date.now() - startedAt) / 1000;
    const owned = sumOf(await metrics(), "mirrordeck_partitions_owned");
    return { seconds, owned, ...(await settledMemory()) };
  };

  log("phase 1: 49 flows over one topic each");
  const smallFlows: string[] = [];
  for (const [i, topic] of smallTopics.entries()) {
    smallFlows.push(
      await createFlowRow(fixture, { name: `scale-small-${i}-${stamp}`, topicsInclude: topic }),
    );
  }
  const small = await phase(smallFlows, `scale-${stamp}-small-`, SMALL_FLOWS * RECORDS_PER_TOPIC);
  log(
    `49 flows: copied in ${small.seconds.toFixed(1)} s; ${small.owned} partitions; ${mb(idle.rss)} → ${mb(small.rss)}`,
  );

  log(`phase 2: one flow over ${BIG_TOPICS} topics`);
  const bigFlow = await createFlowRow(fixture, {
    name: `scale-big-${stamp}`,
    topicsInclude: `scale-${stamp}-big-.*`,
  });
  const big = await phase([bigFlow], `scale-${stamp}-big-`, BIG_TOPICS * RECORDS_PER_TOPIC);
  log(
    `big flow: copied in ${big.seconds.toFixed(1)} s; ${big.owned} partitions; ${mb(small.rss)} → ${mb(big.rss)}`,
  );
  const perFlow = (small.heap - idle.heap) / SMALL_FLOWS;
  const perPartition = (big.heap - small.heap) / (big.owned - small.owned);

  await waitFor(
    async () => (await fetch(`http://127.0.0.1:${WEB_PORT}/api/v1/health`).catch(() => null))?.ok === true,
    60_000,
    "the web app",
  );
  /** 10 connections; `rate` requests a second in all (the pass mark), or as fast as it answers. */
  const load = async (label: string, urlPath: string, rate?: number) => {
    const result = await autocannon({
      url: `http://127.0.0.1:${WEB_PORT}${urlPath}`,
      connections: 10,
      duration: LOAD_SECONDS,
      headers: { authorization: `Bearer ${TOKEN}` },
      ...(rate !== undefined && { overallRate: rate }),
    });
    const shape = rate === undefined ? "flat out" : `${rate} req/s`;
    log(
      `${label}, ${shape}: ${result.requests.total} requests, p50 ${result.latency.p50} ms, p97.5 ${result.latency.p97_5} ms`,
    );
    return { label, shape, paced: rate !== undefined, result };
  };
  const endpoints: [string, string][] = [
    ["flow list (50 flows, live figures)", "/api/v1/flows"],
    ["flow detail (1,000 topics)", `/api/v1/flows/${bigFlow}`],
    ["flow metrics history", `/api/v1/flows/${bigFlow}/metrics`],
    ["flow events", `/api/v1/flows/${bigFlow}/events`],
  ];
  // Unmeasured first: the web app's first requests load routes and open database connections.
  for (const [, urlPath] of endpoints) {
    await autocannon({
      url: `http://127.0.0.1:${WEB_PORT}${urlPath}`,
      connections: 2,
      duration: 3,
      headers: { authorization: `Bearer ${TOKEN}` },
    });
  }
  const runs = [];
  for (const [label, urlPath] of endpoints) runs.push(await load(label, urlPath, PACED_RATE));
  for (const [label, urlPath] of endpoints) runs.push(await load(label, urlPath));
  const rows = runs.map(
    ({ label, shape, result }) =>
      `| ${label} | ${shape} | ${result.requests.total.toLocaleString("en-US")} | ${result.errors + result.non2xx} | ${result.latency.p50} | ${result.latency.p90} | ${result.latency.p97_5} | ${result.latency.max} |`,
  );
  const report = [
    `Scale run ${new Date().toISOString()}: one worker, 50 flows (${BIG_TOPICS} topics in one, 1 in each other),`,
    `${allTopics.length} topics × ${PARTITIONS} partitions = ${allTopics.length * PARTITIONS} source partitions (${big.owned} owned with the heartbeats partitions), ${allTopics.length * RECORDS_PER_TOPIC} records.`,
    "",
    "| phase | copy time | partitions owned | worker RSS (least) | heap used (least) |",
    "|---|---|---|---|---|",
    `| worker idle | | 0 | ${mb(idle.rss)} | ${mb(idle.heap)} |`,
    `| 49 flows × 1 topic | ${small.seconds.toFixed(1)} s | ${small.owned} | ${mb(small.rss)} | ${mb(small.heap)} |`,
    `| + 1 flow × ${BIG_TOPICS} topics | ${big.seconds.toFixed(1)} s | ${big.owned} | ${mb(big.rss)} | ${mb(big.heap)} |`,
    "",
    `Memory (live heap, the least heap used seen over 30 s after each phase): ${mb(perFlow)} per flow (its Kafka clients: consumer, producers, admins, leader), then ${kb(perPartition)} per further partition. RSS is what the process holds from the OS, peaks included (V8 keeps freed pages).`,
    "",
    `API under load (autocannon, 10 connections, ${LOAD_SECONDS} s each, while the flows run; the pass mark is p97.5 under 300 ms at ${PACED_RATE} req/s, a hundred operators' pages refreshing every 5 s; flat out shows the most one web process serves on this 2-core machine beside the worker and both brokers):`,
    "",
    "| endpoint | load | requests | errors | p50 ms | p90 ms | p97.5 ms | max ms |",
    "|---|---|---|---|---|---|---|---|",
    ...rows,
  ].join("\n");
  console.log(`\n${report}\n`);
  mkdirSync(path.join(repoRoot, ".stack/test-reports"), { recursive: true });
  writeFileSync(path.join(repoRoot, ".stack/test-reports/scale.md"), `${report}\n`);
  const slow = runs.filter(
    ({ paced, result }) => (paced && result.latency.p97_5 >= 300) || result.errors + result.non2xx > 0,
  );
  if (slow.length > 0) {
    console.error(
      `scale: over 300 ms at p97.5 (paced), or errors: ${slow.map((r) => `${r.label} (${r.shape})`).join(", ")}`,
    );
    process.exitCode = 1;
  }
} finally {
  await Promise.all([worker.kill("SIGTERM"), web.kill("SIGTERM")]);
  const remote = (await west.listTopics()).filter((t) => t.includes(`scale-${stamp}`));
  await east.deleteTopics({ topics: allTopics }).catch(() => {});
  if (remote.length > 0) await west.deleteTopics({ topics: remote }).catch(() => {});
  await Promise.all([east.disconnect(), west.disconnect()]);
  await fixture.cleanup();
}

function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}
