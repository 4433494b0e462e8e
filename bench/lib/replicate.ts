// One measured copy by one tool: clean the target, start the tool, time the copy, stop it, and
// check every record arrived (count and checksum per partition) before the figures count.
import type { BenchStack } from "./bench-stack.ts";
import { type BenchAdmin, type CopyTiming, firstRecordAt } from "./cluster-admin.ts";
import { type CompletionWatch, type Digest, digestTopics, watchCompletion } from "./java-tools.ts";
import { MirrorDeckRun } from "./mirrordeck-runner.ts";
import { MirrorMakerRun } from "./mirrormaker-runner.ts";
import { ProcessUsage } from "./process-usage.ts";

export type Tool = "mirrordeck" | "mm2";
/** How the tool writes into the target: plain idempotent sends, or transactions (KIP-618 / ADR 0015). */
export type Delivery = "at-least-once" | "exactly-once";
export const TOOL_NAMES: Record<Tool, string> = { mirrordeck: "MirrorDeck", mm2: "MirrorMaker 2" };

export interface CopyRun {
  tool: Tool;
  records: number;
  /** Tool start → first record on the target (process start-up included). */
  startToFirstSeconds: number;
  /** First → last record on the target. */
  copySeconds: number;
  /** Tool start → last record (the catch-up time). */
  catchUpSeconds: number;
  recordsPerSec: number;
  /** Value bytes per second, MB = 10^6 bytes. */
  mbPerSec: number;
  peakRssMb: number;
  /** Median RSS while copying. */
  copyRssMb: number;
  /** CPU seconds of the tool's process from start to the last record. */
  cpuSeconds: number;
}

export interface BenchContext {
  stack: BenchStack;
  east: BenchAdmin;
  west: BenchAdmin;
  workDir: string;
  report: (line: string) => void;
  /** The tools to measure (both, unless narrowed for profiling). */
  tools: Tool[];
  /** Extra node flags for the MirrorDeck worker (profiling). */
  nodeFlags?: string[];
}

export interface Replicator {
  readonly pid: number;
  failure(): Promise<string | null>;
  stop(): Promise<void>;
}

/** Starts `tool` replicating the source topics matching `topicsRegex`, east → west. */
export async function startTool(
  ctx: BenchContext,
  tool: Tool,
  topicsRegex: string,
  label: string,
  delivery: Delivery = "at-least-once",
): Promise<Replicator> {
  if (tool === "mirrordeck") {
    const run = await MirrorDeckRun.prepare(ctx.stack, {
      topics: topicsRegex,
      ...(delivery === "exactly-once" && { settings: { exactlyOnce: true } }),
    });
    run.start({ nodeFlags: ctx.nodeFlags ?? [] });
    return { pid: run.pid, failure: () => run.failure(), stop: () => run.stop() };
  }
  const run = new MirrorMakerRun(ctx.stack, topicsRegex, `${ctx.workDir}/${label}`, delivery);
  run.start();
  return { pid: run.pid, failure: async () => run.failure(), stop: () => run.stop() };
}

/** Removes every topic the previous tool created: remote topics, MM2's and MirrorDeck's internal ones. */
export async function resetTargets(ctx: BenchContext, sourceTopics: string[]): Promise<void> {
  await Promise.all([ctx.west.deleteAllExcept(new Set()), ctx.east.deleteAllExcept(new Set(sourceTopics))]);
}

export function remoteTopic(topic: string): string {
  return `east.${topic}`;
}

/** A copy that lost, duplicated or altered records: the benchmark fails, it never reports a number. */
export class CopyMismatchError extends Error {
  override name = "CopyMismatchError";
}

/** Fails unless the target's remote topics hold exactly the source's records, partition by partition. */
export function compareDigests(source: Digest, target: Digest, tool: Tool): void {
  const problems: string[] = [];
  for (const [key, expected] of Object.entries(source)) {
    const got = target[remoteTopic(key)];
    if (!got) problems.push(`${key}: missing on the target`);
    else if (got.count !== expected.count)
      problems.push(`${key}: ${got.count} records, expected ${expected.count}`);
    else if (got.crc !== expected.crc) problems.push(`${key}: checksum differs (same count ${got.count})`);
  }
  if (problems.length > 0) {
    throw new CopyMismatchError(
      `${TOOL_NAMES[tool]} did not copy every record exactly:\n  ${problems.slice(0, 10).join("\n  ")}`,
    );
  }
}

/**
 * Waits for the completion watcher: the first record from its rounds of written offsets, the
 * last when every remote partition's last committed record is its source's last.
 */
async function watchCommitted(
  watcher: CompletionWatch,
  startedAt: number,
  o: { timeoutMs: number; onProgress: (written: number) => void; alive: () => string | null },
): Promise<CopyTiming> {
  let lastReport = startedAt;
  for (;;) {
    const lastAt = watcher.completedAt();
    if (lastAt !== null) {
      const polls: [number, number][] = [[startedAt, 0], ...watcher.written().filter(([t]) => t > startedAt)];
      const first = polls.findIndex(([, n]) => n > 0);
      return { firstAt: first > 0 ? firstRecordAt(polls, first) : startedAt, lastAt };
    }
    const failure = o.alive() ?? watcher.failure();
    if (failure) throw new Error(failure);
    const now = Date.now();
    if (now - startedAt > o.timeoutMs)
      throw new Error(`the copy was not complete after ${o.timeoutMs / 1000} s`);
    if (now - lastReport > 2_000) {
      o.onProgress(watcher.written().at(-1)?.[1] ?? 0);
      lastReport = now;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface BacklogCopy {
  sourceTopics: string[];
  topicsRegex: string;
  records: number;
  valueBytes: number;
  sourceDigest: Digest;
  label: string;
  timeoutMs: number;
  delivery?: Delivery;
}

/** Times `tool` copying an existing backlog, then verifies it. */
export async function copyBacklog(ctx: BenchContext, tool: Tool, copy: BacklogCopy): Promise<CopyRun> {
  await resetTargets(ctx, copy.sourceTopics);
  const targetTopics = copy.sourceTopics.map(remoteTopic);
  // Every copy is timed the same way, to its last committed record (see watchCompletion): end
  // offsets would overcount transactional copies (markers, aborted records).
  const watcher = watchCompletion(ctx.stack, {
    source: ctx.stack.east,
    target: ctx.stack.west,
    sourceTopics: copy.sourceTopics,
    timeoutMs: copy.timeoutMs + 60_000,
  });
  try {
    await watcher.ready;
    return await timedCopy(ctx, tool, copy, targetTopics, watcher);
  } finally {
    watcher.stop();
  }
}

async function timedCopy(
  ctx: BenchContext,
  tool: Tool,
  copy: BacklogCopy,
  targetTopics: string[],
  watcher: CompletionWatch,
): Promise<CopyRun> {
  const startedAt = Date.now();
  const replicator = await startTool(ctx, tool, copy.topicsRegex, copy.label, copy.delivery);
  const usage = new ProcessUsage(replicator.pid);
  let timing: { firstAt: number; lastAt: number };
  try {
    let dead: string | null = null;
    const deadTimer = setInterval(() => {
      void replicator.failure().then((f) => {
        dead = f;
      });
    }, 1_000);
    try {
      timing = await watchCommitted(watcher, startedAt, {
        timeoutMs: copy.timeoutMs,
        onProgress: (written: number) =>
          ctx.report(
            `  ${TOOL_NAMES[tool]}: ${written.toLocaleString("en")} of ${copy.records.toLocaleString("en")} offsets written`,
          ),
        alive: () => dead,
      });
    } finally {
      clearInterval(deadTimer);
    }
    usage.take();
  } finally {
    usage.stop();
    await replicator.stop();
  }
  const target = await digestTopics(
    ctx.stack,
    ctx.stack.west,
    targetTopics,
    true,
    copy.delivery === "exactly-once" ? "read_committed" : "read_uncommitted",
  );
  compareDigests(copy.sourceDigest, target, tool);
  const copySeconds = Math.max(0.001, (timing.lastAt - timing.firstAt) / 1000);
  return {
    tool,
    records: copy.records,
    startToFirstSeconds: (timing.firstAt - startedAt) / 1000,
    copySeconds,
    catchUpSeconds: (timing.lastAt - startedAt) / 1000,
    recordsPerSec: copy.records / copySeconds,
    mbPerSec: (copy.records * copy.valueBytes) / 1e6 / copySeconds,
    peakRssMb: usage.peakRssMb(),
    copyRssMb: usage.rssMbBetween(timing.firstAt, timing.lastAt),
    cpuSeconds: usage.cpuSecondsBetween(startedAt, timing.lastAt),
  };
}
