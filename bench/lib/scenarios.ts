// The benchmark's scenarios (issue #9). Each produces its source data once, then lets each tool copy
// it `reps` times, alternating which tool goes first, and keeps every run's figures.
import { randomBytes } from "node:crypto";
import {
  consumerPerformance,
  digestTopics,
  produceRecords,
  producerPerformance,
  targetLatencies,
} from "./java-tools.ts";
import { ProcessUsage } from "./process-usage.ts";
import {
  type BenchContext,
  type CopyRun,
  compareDigests,
  copyBacklog,
  type Delivery,
  remoteTopic,
  resetTargets,
  startTool,
  TOOL_NAMES,
  type Tool,
} from "./replicate.ts";
import { median } from "./stats.ts";

export const TOOLS: readonly Tool[] = ["mirrordeck", "mm2"];

export interface Sizes {
  reps: number;
  steadyRecords: number;
  smallTopics: number;
  smallRecordsPerTopic: number;
  latencySeconds: number;
  compressedRecords: number;
  codecs: string[];
}

export const FULL: Sizes = {
  reps: 3,
  steadyRecords: 1_048_576, // × 1 KiB values: a 1 GiB backlog
  smallTopics: 200,
  smallRecordsPerTopic: 5_000,
  latencySeconds: 60,
  compressedRecords: 300_000,
  codecs: ["gzip", "snappy", "lz4", "zstd"],
};

export const QUICK: Sizes = {
  reps: 1,
  steadyRecords: 100_000,
  smallTopics: 200,
  smallRecordsPerTopic: 100,
  latencySeconds: 10,
  compressedRecords: 20_000,
  codecs: ["gzip", "snappy", "lz4", "zstd"],
};

export interface CopyScenario {
  params: Record<string, string | number>;
  runs: Record<Tool, CopyRun[]>;
  /** Tools that could not run it, with the reason (e.g. a codec they cannot read). */
  unsupported: Partial<Record<Tool, string>>;
}

export interface Ceiling {
  producerRecordsPerSec: number[];
  consumerRecordsPerSec: number[];
  /** The slower of the two medians: no replicator can beat it on this machine. */
  recordsPerSec: number;
}

export interface LatencyRun {
  tool: Tool;
  rate: number;
  records: number;
  p50Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
  /** Median RSS and CPU share (of one core) of the tool's process under the steady load. */
  steadyRssMb: number;
  cpuPercent: number;
}

const id = () => randomBytes(3).toString("hex");
const topicRegex = (topic: string) => topic.replace(/[.\\-]/g, "\\$&");

/** The tools of a repetition: alternating which goes first, so neither always meets a warmer cache. */
function order(ctx: BenchContext, rep: number): Tool[] {
  const tools = TOOLS.filter((t) => ctx.tools.includes(t));
  return rep % 2 === 0 ? tools : tools.reverse();
}

async function backlogRuns(
  ctx: BenchContext,
  sizes: Sizes,
  name: string,
  sourceTopics: string[],
  topicsRegex: string,
  records: number,
  valueBytes: number,
): Promise<CopyScenario["runs"]> {
  ctx.report(`${name}: checksumming the source`);
  const sourceDigest = await digestTopics(ctx.stack, ctx.stack.east, sourceTopics, true);
  const runs: CopyScenario["runs"] = { mirrordeck: [], mm2: [] };
  for (let rep = 0; rep < sizes.reps; rep++) {
    for (const tool of order(ctx, rep)) {
      ctx.report(`${name}: run ${rep + 1}/${sizes.reps}, ${TOOL_NAMES[tool]}`);
      const run = await copyBacklog(ctx, tool, {
        sourceTopics,
        topicsRegex,
        records,
        valueBytes,
        sourceDigest,
        label: `${name}-${rep + 1}-${tool}`,
        timeoutMs: 15 * 60_000,
      });
      ctx.report(
        `${name}: ${TOOL_NAMES[tool]} ${Math.round(run.recordsPerSec).toLocaleString("en")} records/s, ` +
          `${run.catchUpSeconds.toFixed(1)} s start to last record, verified`,
      );
      runs[tool].push(run);
    }
  }
  return runs;
}

/** 1. One topic, 8 partitions, 1 KiB values, keys, 2 headers: a 1 GiB backlog. Plus the ceiling. */
export async function steadyThroughput(
  ctx: BenchContext,
  sizes: Sizes,
): Promise<CopyScenario & { ceiling: Ceiling }> {
  const topic = `bench-steady-${id()}`;
  const records = sizes.steadyRecords;
  await ctx.east.createTopics([topic], 8);
  ctx.report(`steady: producing ${records.toLocaleString("en")} records of 1 KiB to ${topic}`);
  await produceRecords(ctx.stack, { bootstrap: ctx.stack.east, topics: [topic], records, valueBytes: 1024 });
  const ceiling: Ceiling = { producerRecordsPerSec: [], consumerRecordsPerSec: [], recordsPerSec: 0 };
  for (let rep = 0; rep < sizes.reps; rep++) {
    await resetTargets(ctx, [topic]);
    const into = `bench-ceiling-${id()}`;
    await ctx.west.createTopics([into], 8);
    ctx.report(
      `ceiling: run ${rep + 1}/${sizes.reps}, ProducerPerformance into west, ConsumerPerformance from east`,
    );
    // Record size: the value plus the key and headers each benchmark record carries (~46 bytes).
    ceiling.producerRecordsPerSec.push(
      await producerPerformance(ctx.stack, ctx.stack.west, into, records, 1070),
    );
    ceiling.consumerRecordsPerSec.push(await consumerPerformance(ctx.stack, ctx.stack.east, topic, records));
  }
  ceiling.recordsPerSec = Math.min(
    median(ceiling.producerRecordsPerSec),
    median(ceiling.consumerRecordsPerSec),
  );
  ctx.report(`ceiling: ${Math.round(ceiling.recordsPerSec).toLocaleString("en")} records/s`);
  const runs = await backlogRuns(ctx, sizes, "steady", [topic], topicRegex(topic), records, 1024);
  await ctx.east.deleteAllExcept(new Set());
  return {
    params: { topics: 1, partitions: 8, records, valueBytes: 1024, headers: 2 },
    runs,
    unsupported: {},
    ceiling,
  };
}

/** 2. Many small topics: catch-up of N topics × 1 partition of 100-byte values. */
export async function manySmallTopics(ctx: BenchContext, sizes: Sizes): Promise<CopyScenario> {
  const prefix = `bench-small-${id()}`;
  const topics = Array.from(
    { length: sizes.smallTopics },
    (_, i) => `${prefix}-${String(i).padStart(3, "0")}`,
  );
  const records = sizes.smallTopics * sizes.smallRecordsPerTopic;
  await ctx.east.createTopics(topics, 1);
  ctx.report(
    `small topics: producing ${records.toLocaleString("en")} records of 100 B over ${topics.length} topics`,
  );
  await produceRecords(ctx.stack, { bootstrap: ctx.stack.east, topics, records, valueBytes: 100 });
  const runs = await backlogRuns(
    ctx,
    sizes,
    "small topics",
    topics,
    `${topicRegex(prefix)}-.*`,
    records,
    100,
  );
  await ctx.east.deleteAllExcept(new Set());
  return {
    params: { topics: topics.length, partitions: 1, records, valueBytes: 100, headers: 2 },
    runs,
    unsupported: {},
  };
}

/** 3. Latency under a steady load: append time on the target minus the source send time. */
export async function latencyUnderLoad(
  ctx: BenchContext,
  sizes: Sizes,
  rate: number,
): Promise<{ params: Record<string, number>; runs: Record<Tool, LatencyRun[]> }> {
  const runs: Record<Tool, LatencyRun[]> = { mirrordeck: [], mm2: [] };
  const records = Math.round(rate * sizes.latencySeconds);
  for (let rep = 0; rep < sizes.reps; rep++) {
    for (const tool of order(ctx, rep)) {
      const topic = `bench-latency-${id()}`;
      await resetTargets(ctx, []);
      await ctx.east.createTopics([topic], 8);
      // The target topic keeps the broker's append time, so each record carries when it landed.
      await ctx.west.createTopics([remoteTopic(topic)], 8, { "message.timestamp.type": "LogAppendTime" });
      ctx.report(`latency: run ${rep + 1}/${sizes.reps}, ${TOOL_NAMES[tool]}: starting and priming`);
      const replicator = await startTool(ctx, tool, topicRegex(topic), `latency-${rep + 1}-${tool}`);
      const usage = new ProcessUsage(replicator.pid);
      let steadyStart = 0;
      let steadyEnd = 0;
      try {
        await produceRecords(ctx.stack, {
          bootstrap: ctx.stack.east,
          topics: [topic],
          records: 1_000,
          valueBytes: 1024,
        });
        await waitForRecords(ctx, replicator, remoteTopic(topic), 1_000);
        ctx.report(
          `latency: ${TOOL_NAMES[tool]} under ${Math.round(rate).toLocaleString("en")} records/s for ${sizes.latencySeconds} s`,
        );
        steadyStart = Date.now();
        await produceRecords(ctx.stack, {
          bootstrap: ctx.stack.east,
          topics: [topic],
          records,
          valueBytes: 1024,
          rate,
        });
        steadyEnd = Date.now();
        await waitForRecords(ctx, replicator, remoteTopic(topic), 1_000 + records);
      } finally {
        usage.stop();
        await replicator.stop();
      }
      const source = await digestTopics(ctx.stack, ctx.stack.east, [topic], false);
      const target = await digestTopics(ctx.stack, ctx.stack.west, [remoteTopic(topic)], false);
      compareDigests(source, target, tool);
      const l = await targetLatencies(ctx.stack, ctx.stack.west, [remoteTopic(topic)], steadyStart);
      const cpu = usage.cpuSecondsBetween(steadyStart, steadyEnd);
      const run: LatencyRun = {
        tool,
        rate,
        records: l.count,
        p50Ms: l.p50,
        p99Ms: l.p99,
        p999Ms: l.p999,
        maxMs: l.max,
        steadyRssMb: usage.rssMbBetween(steadyStart, steadyEnd),
        cpuPercent: (100 * cpu) / ((steadyEnd - steadyStart) / 1000),
      };
      ctx.report(
        `latency: ${TOOL_NAMES[tool]} p50 ${run.p50Ms} ms, p99 ${run.p99Ms} ms, p99.9 ${run.p999Ms} ms, verified`,
      );
      runs[tool].push(run);
      await ctx.east.deleteAllExcept(new Set());
    }
  }
  return {
    params: { rate: Math.round(rate), seconds: sizes.latencySeconds, partitions: 8, valueBytes: 1024 },
    runs,
  };
}

async function waitForRecords(
  ctx: BenchContext,
  replicator: { failure(): Promise<string | null> },
  topic: string,
  n: number,
) {
  const deadline = Date.now() + 5 * 60_000;
  while ((await ctx.west.endOffsetSum([topic])) < n) {
    const failure = await replicator.failure();
    if (failure) throw new Error(failure);
    if (Date.now() > deadline) throw new Error(`${topic} did not reach ${n} records in 5 minutes`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** 5. Scenario 1's records in source batches compressed with each codec. */
export async function compressedSource(
  ctx: BenchContext,
  sizes: Sizes,
): Promise<Record<string, CopyScenario>> {
  const out: Record<string, CopyScenario> = {};
  for (const codec of sizes.codecs) {
    const topic = `bench-${codec}-${id()}`;
    const records = sizes.compressedRecords;
    await ctx.east.createTopics([topic], 8);
    ctx.report(`compressed: producing ${records.toLocaleString("en")} ${codec} records`);
    await produceRecords(ctx.stack, {
      bootstrap: ctx.stack.east,
      topics: [topic],
      records,
      valueBytes: 1024,
      compression: codec,
    });
    // Both tools read every codec: a copy that fails fails the benchmark.
    const runs = await backlogRuns(ctx, sizes, codec, [topic], topicRegex(topic), records, 1024);
    out[codec] = { params: { codec, records, partitions: 8, valueBytes: 1024 }, runs, unsupported: {} };
    await ctx.east.deleteAllExcept(new Set());
  }
  return out;
}

/** Scenario 6's four columns: each tool at least once and exactly once. */
export type DeliveryVariant = "mirrordeck" | "mm2" | "mirrordeckEos" | "mm2Eos";
export const DELIVERY_VARIANTS: Record<DeliveryVariant, { tool: Tool; delivery: Delivery; name: string }> = {
  mirrordeck: { tool: "mirrordeck", delivery: "at-least-once", name: "MirrorDeck" },
  mm2: { tool: "mm2", delivery: "at-least-once", name: "MM2" },
  mirrordeckEos: { tool: "mirrordeck", delivery: "exactly-once", name: "MirrorDeck exactly-once" },
  mm2Eos: { tool: "mm2", delivery: "exactly-once", name: "MM2 exactly-once" },
};

export interface DeliveryScenario {
  params: Record<string, string | number>;
  runs: Record<DeliveryVariant, CopyRun[]>;
}

/**
 * 6. Exactly-once: scenario 1's backlog copied by each tool at least once and exactly once
 * (MirrorDeck's exactlyOnce flow setting; MM2 with exactly.once.source.support=enabled), every copy
 * timed to its last committed record by the same watcher and verified with read_committed.
 */
export async function exactlyOnceCost(ctx: BenchContext, sizes: Sizes): Promise<DeliveryScenario> {
  const topic = `bench-eos-${id()}`;
  const records = sizes.steadyRecords;
  await ctx.east.createTopics([topic], 8);
  ctx.report(`exactly-once: producing ${records.toLocaleString("en")} records of 1 KiB to ${topic}`);
  await produceRecords(ctx.stack, { bootstrap: ctx.stack.east, topics: [topic], records, valueBytes: 1024 });
  ctx.report("exactly-once: checksumming the source");
  const sourceDigest = await digestTopics(ctx.stack, ctx.stack.east, [topic], true);
  const runs: DeliveryScenario["runs"] = { mirrordeck: [], mm2: [], mirrordeckEos: [], mm2Eos: [] };
  const variants = (Object.keys(DELIVERY_VARIANTS) as DeliveryVariant[]).filter((v) =>
    ctx.tools.includes(DELIVERY_VARIANTS[v].tool),
  );
  for (let rep = 0; rep < sizes.reps; rep++) {
    // Alternating the order, so that no variant always meets the warmest page cache.
    for (const variant of rep % 2 === 0 ? variants : [...variants].reverse()) {
      const { tool, delivery, name } = DELIVERY_VARIANTS[variant];
      ctx.report(`exactly-once: run ${rep + 1}/${sizes.reps}, ${name}`);
      const run = await copyBacklog(ctx, tool, {
        sourceTopics: [topic],
        topicsRegex: topicRegex(topic),
        records,
        valueBytes: 1024,
        sourceDigest,
        label: `eos-${rep + 1}-${variant}`,
        timeoutMs: 15 * 60_000,
        delivery,
      });
      ctx.report(
        `exactly-once: ${name} ${Math.round(run.recordsPerSec).toLocaleString("en")} records/s, ` +
          `${run.catchUpSeconds.toFixed(1)} s start to last committed record, verified (read_committed)`,
      );
      runs[variant].push(run);
    }
  }
  await ctx.east.deleteAllExcept(new Set());
  return { params: { topics: 1, partitions: 8, records, valueBytes: 1024, headers: 2 }, runs };
}
