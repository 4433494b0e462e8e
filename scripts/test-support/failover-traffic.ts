// Producer and consumer processes for failover tests, and the accounting of what they saw.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const repoRoot = path.resolve(import.meta.dirname, "../..");
const script = path.join(repoRoot, "scripts/test-support/traffic-process.ts");
/** Node itself with tsx's loader: the child's pid is the client's, so SIGKILL really stops it. */
const nodeArgs = ["--import", "tsx"];

export interface TrafficProcess {
  child: ChildProcess;
  logFile: string;
  /** SIGTERM and wait: the producer stops after its in-flight batch, the consumer commits. */
  stop: () => Promise<void>;
}

/** A client stuck on a dead broker gets this long to stop by itself before it is killed. */
const STOP_GRACE_MS = 8_000;

function start(args: string[], logFile: string, extra: string[] = []): TrafficProcess {
  const child = spawn(process.execPath, [...nodeArgs, script, ...args, logFile, ...extra], {
    cwd: repoRoot,
    stdio: ["ignore", "inherit", "inherit"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    child,
    logFile,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    },
  };
}

export function trafficDir(): string {
  return mkdtempSync(path.join(tmpdir(), "md-failover-"));
}

/** Record values are their index, from `startIndex` on (separate producers: separate ranges). */
export function startProducer(
  bootstrap: string,
  topic: string,
  ratePerSec: number,
  logFile: string,
  startIndex = 0,
): TrafficProcess {
  return start(["produce", bootstrap, topic, String(ratePerSec)], logFile, [String(startIndex)]);
}

export function startConsumer(
  bootstrap: string,
  topics: string[],
  group: string,
  logFile: string,
): TrafficProcess {
  return start(["consume", bootstrap, topics.join(","), group], logFile);
}

/** Indices the producer had acknowledged. */
export function producedIndices(logFile: string): number[] {
  if (!existsSync(logFile)) return [];
  return readFileSync(logFile, "utf8").split("\n").filter(Boolean).map(Number);
}

/** Indices the consumer processed, with repeats. */
export function consumedIndices(logFile: string): number[] {
  if (!existsSync(logFile)) return [];
  return readFileSync(logFile, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => Number(line.split(" ")[3]));
}

export interface Accounting {
  produced: number;
  consumed: number;
  lost: number;
  duplicates: number;
}

/** Lost: acknowledged but never consumed anywhere. Duplicates: consumed more than once. */
export function account(produced: number[], ...consumed: number[][]): Accounting {
  const seen = new Map<number, number>();
  for (const list of consumed) for (const i of list) seen.set(i, (seen.get(i) ?? 0) + 1);
  let lost = 0;
  for (const i of produced) if (!seen.has(i)) lost++;
  let duplicates = 0;
  for (const n of seen.values()) duplicates += n - 1;
  return { produced: produced.length, consumed: seen.size, lost, duplicates };
}

/** Writes `count` records as fast as the broker takes them (values: index and padding), logged as produced. */
export async function produceBurst(
  bootstrap: string,
  topic: string,
  fromIndex: number,
  count: number,
  logFile: string,
): Promise<void> {
  const { Kafka, logLevel, Partitioners } = await import("kafkajs");
  const { appendFileSync } = await import("node:fs");
  const producer = new Kafka({ brokers: [bootstrap], logLevel: logLevel.NOTHING }).producer({
    createPartitioner: Partitioners.JavaCompatiblePartitioner,
    idempotent: true,
  });
  await producer.connect();
  const padding = "x".repeat(400);
  try {
    for (let i = fromIndex; i < fromIndex + count; i += 2_000) {
      const batch = Array.from({ length: Math.min(2_000, fromIndex + count - i) }, (_, j) => i + j);
      await producer.send({
        topic,
        acks: -1,
        messages: batch.map((n) => ({ key: `key-${n % 37}`, value: `${n} ${padding}` })),
      });
      appendFileSync(logFile, `${batch.join("\n")}\n`);
    }
  } finally {
    await producer.disconnect();
  }
}
