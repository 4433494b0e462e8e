// The benchmark's Java side: BenchTool (records in, digests and latencies out) and Kafka's own
// ProducerPerformance / ConsumerPerformance (the ceiling), each a short-lived JVM.
import { spawn } from "node:child_process";
import path from "node:path";
import { repoRoot } from "../../scripts/stack/stack-config.ts";
import type { BenchStack } from "./bench-stack.ts";

const BENCH_TOOL = path.join(repoRoot, "bench", "peer", "BenchTool.java");

/** Runs a JVM to completion; rejects with its stderr's tail when it fails. */
export function runJava(stack: BenchStack, args: string[], heap = "-Xmx1g"): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(stack.java, [heap, "-cp", stack.peerClasspath, ...args], {
      cwd: repoRoot,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (c: Buffer) => out.push(c));
    child.stderr.on("data", (c: Buffer) => err.push(c));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve(Buffer.concat(out).toString("utf8"));
      else {
        const tail = Buffer.concat([...out, ...err])
          .toString("utf8")
          .trim()
          .split("\n")
          .slice(-15)
          .join("\n");
        reject(new Error(`java ${args.slice(0, 2).join(" ")} exited with ${code}:\n${tail}`));
      }
    });
  });
}

function lastJsonLine<T>(output: string): T {
  const line = output
    .trim()
    .split("\n")
    .reverse()
    .find((l) => l.startsWith("{"));
  if (!line) throw new Error(`no JSON in the tool's output:\n${output.slice(-2000)}`);
  return JSON.parse(line) as T;
}

function benchTool<T>(
  stack: BenchStack,
  command: string,
  options: Record<string, string | number>,
): Promise<T> {
  const args = Object.entries(options).map(([k, v]) => `${k}=${v}`);
  return runJava(stack, [BENCH_TOOL, command, ...args]).then((out) => lastJsonLine<T>(out));
}

export interface ProduceOptions {
  bootstrap: string;
  topics: string[];
  records: number;
  valueBytes: number;
  compression?: string;
  /** Records per second; 0 or absent: as fast as the producer goes. */
  rate?: number;
}

export function produceRecords(
  stack: BenchStack,
  o: ProduceOptions,
): Promise<{ records: number; seconds: number }> {
  return benchTool(stack, "produce", {
    bootstrap: o.bootstrap,
    topics: o.topics.join(","),
    records: o.records,
    valueBytes: o.valueBytes,
    compression: o.compression ?? "none",
    rate: o.rate ?? 0,
  });
}

/** Per "topic/partition": record count and an order-sensitive CRC32C of keys, values, headers. */
export type Digest = Record<string, { count: number; crc: number }>;

export async function digestTopics(
  stack: BenchStack,
  bootstrap: string,
  topics: string[],
  timestamps: boolean,
  /** read_committed for a transactional copy: aborted records are not part of it. */
  isolation: "read_uncommitted" | "read_committed" = "read_uncommitted",
): Promise<Digest> {
  const result = await benchTool<{ partitions: Digest }>(stack, "digest", {
    bootstrap,
    topics: topics.join(","),
    timestamps: String(timestamps),
    isolation,
  });
  return result.partitions;
}

export interface CompletionWatch {
  /** Resolves once the source's last records are known: start the tool after it. */
  ready: Promise<void>;
  /** When the copy was complete, or null until then. */
  completedAt(): number | null;
  /** Every round so far: [epoch ms, offsets written to the remote partitions]. */
  written(): [number, number][];
  /** Why the watcher failed, or null. */
  failure(): string | null;
  stop(): void;
}

/**
 * BenchTool's `committed` watcher: a copy is complete when every remote partition's last committed
 * record is its source partition's last record. Times transactional and plain copies alike.
 */
export function watchCompletion(
  stack: BenchStack,
  o: { source: string; target: string; sourceTopics: string[]; timeoutMs: number },
): CompletionWatch {
  const child = spawn(
    stack.java,
    [
      "-Xmx256m",
      "-cp",
      stack.peerClasspath,
      BENCH_TOOL,
      "committed",
      `source=${o.source}`,
      `target=${o.target}`,
      `topics=${o.sourceTopics.join(",")}`,
      "prefix=east.",
      `timeoutMs=${o.timeoutMs}`,
    ],
    { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] },
  );
  let doneAt: number | null = null;
  const written: [number, number][] = [];
  let failed: string | null = null;
  let errTail = "";
  let markReady!: () => void;
  let refuse!: (error: Error) => void;
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    refuse = reject;
  });
  let pending = "";
  child.stdout.on("data", (chunk: Buffer) => {
    pending += chunk.toString("utf8");
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) {
      if (!line.startsWith("{")) continue;
      const event = JSON.parse(line) as { ready?: boolean; doneAt?: number; t?: number; written?: number };
      if (event.ready) markReady();
      if (event.t !== undefined && event.written !== undefined) written.push([event.t, event.written]);
      if (event.doneAt !== undefined) doneAt = event.doneAt;
    }
  });
  child.stderr.on("data", (c: Buffer) => {
    errTail = (errTail + c.toString("utf8")).slice(-3000);
  });
  child.on("close", (code) => {
    if (code !== 0 && doneAt === null) {
      failed = `the completion watcher exited with ${code}:\n${errTail.trim().split("\n").slice(-10).join("\n")}`;
      refuse(new Error(failed));
    }
  });
  return {
    ready,
    completedAt: () => doneAt,
    written: () => written,
    failure: () => failed,
    stop: () => {
      if (child.exitCode === null) child.kill("SIGKILL");
    },
  };
}

export interface LatencyPercentiles {
  count: number;
  p50: number;
  p99: number;
  p999: number;
  max: number;
}

export function targetLatencies(
  stack: BenchStack,
  bootstrap: string,
  topics: string[],
  sinceMs: number,
): Promise<LatencyPercentiles> {
  return benchTool(stack, "latency", { bootstrap, topics: topics.join(","), since: sinceMs });
}

/** Kafka's ProducerPerformance writing `records` of `recordBytes` into `topic`, acks=all. */
export async function producerPerformance(
  stack: BenchStack,
  bootstrap: string,
  topic: string,
  records: number,
  recordBytes: number,
): Promise<number> {
  const out = await runJava(stack, [
    "org.apache.kafka.tools.ProducerPerformance",
    "--topic",
    topic,
    "--num-records",
    String(records),
    "--record-size",
    String(recordBytes),
    "--throughput",
    "-1",
    "--producer-props",
    `bootstrap.servers=${bootstrap}`,
    "acks=all",
    "linger.ms=5",
    "batch.size=262144",
  ]);
  // "1000000 records sent, 190839.7 records/sec (186.37 MB/sec), ..." is the final summary line.
  const match = /(\d+) records sent, ([\d.]+) records\/sec/.exec(
    out
      .trim()
      .split("\n")
      .filter((l) => l.includes("records sent"))
      .at(-1) ?? "",
  );
  if (!match) throw new Error(`ProducerPerformance printed no summary:\n${out.slice(-1500)}`);
  return Number(match[2]);
}

/** Kafka's ConsumerPerformance reading `records` from `topic`: fetch records/s (no group join time). */
export async function consumerPerformance(
  stack: BenchStack,
  bootstrap: string,
  topic: string,
  records: number,
): Promise<number> {
  const out = await runJava(stack, [
    "org.apache.kafka.tools.ConsumerPerformance",
    "--bootstrap-server",
    bootstrap,
    "--topic",
    topic,
    "--messages",
    String(records),
    "--timeout",
    "60000",
  ]);
  // Header: start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec,
  // rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec
  const lines = out.trim().split("\n");
  const headerAt = lines.findIndex((l) => l.includes("fetch.nMsg.sec"));
  const header = lines[headerAt]?.split(",").map((s) => s.trim());
  const values = lines[headerAt + 1]?.split(",").map((s) => s.trim());
  const index = header?.indexOf("fetch.nMsg.sec") ?? -1;
  if (!header || !values || index < 0)
    throw new Error(`ConsumerPerformance printed no summary:\n${out.slice(-1500)}`);
  return Number(values[index]);
}
