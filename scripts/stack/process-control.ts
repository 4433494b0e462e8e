// Process inspection and termination through /proc (Linux). A pid is only trusted together with its
// start time, so a recycled pid is never mistaken for one of our processes.
import { readdirSync, readFileSync } from "node:fs";
import { elapsed, sleep } from "./progress.ts";

export interface ProcessIdentity {
  pid: number;
  /** Field 22 of /proc/<pid>/stat: start time in clock ticks since boot. */
  startTicks: string;
}

function readStat(pid: number): { state: string; startTicks: string } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // "pid (comm) state ppid ...": comm may contain spaces and parens, so split after the last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // fields[0] is field 3 (state); field 22 (starttime) is fields[19].
    const state = fields[0];
    const startTicks = fields[19];
    if (!state || !startTicks) return null;
    return { state, startTicks };
  } catch {
    return null;
  }
}

/** Alive = exists and is not a zombie waiting to be reaped. */
export function isProcessAlive(pid: number): boolean {
  const stat = readStat(pid);
  return stat !== null && stat.state !== "Z" && stat.state !== "X";
}

export function processIdentity(pid: number): ProcessIdentity | null {
  const stat = readStat(pid);
  return stat ? { pid, startTicks: stat.startTicks } : null;
}

/** True when `identity` still names the same, living process. */
export function isSameProcessAlive(identity: ProcessIdentity): boolean {
  const stat = readStat(identity.pid);
  return stat !== null && stat.startTicks === identity.startTicks && stat.state !== "Z" && stat.state !== "X";
}

export function readCmdline(pid: number): string[] | null {
  try {
    const raw = readFileSync(`/proc/${pid}/cmdline`, "utf8");
    return raw.split("\0").filter((part) => part.length > 0);
  } catch {
    return null;
  }
}

/** Resident set size in KiB (VmRSS), or null if the process is gone. */
export function readRssKb(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

export function listPids(): number[] {
  try {
    return readdirSync("/proc")
      .filter((name) => /^\d+$/.test(name))
      .map(Number);
  } catch {
    return [];
  }
}

/** Pids whose command line contains every one of `needles` as a whole argument. */
export function findProcessesByArgs(needles: string[]): number[] {
  return listPids().filter((pid) => {
    if (pid === process.pid || !isProcessAlive(pid)) return false;
    const args = readCmdline(pid);
    return args !== null && needles.every((needle) => args.includes(needle));
  });
}

/** Compact description of a process for messages, e.g. "pid 42 (java -Xmx512m … kafka.Kafka …)". */
export function describeProcess(pid: number): string {
  const args = readCmdline(pid);
  if (!args || args.length === 0) return `pid ${pid}`;
  const text = args.join(" ");
  return `pid ${pid} (${text.length > 160 ? `${text.slice(0, 157)}...` : text})`;
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (!isProcessAlive(pid)) return true;
    await sleep(100);
  }
  return !isProcessAlive(pid);
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
  }
}

export interface TerminateResult {
  how: "already-gone" | "sigterm" | "sigkill";
  took: string;
}

/**
 * SIGTERM (graceful), wait up to `timeoutMs`, then SIGKILL and wait until the process is gone.
 * With `how: "SIGKILL"` the process is killed at once (a crash, for failure tests).
 */
export async function terminateProcess(
  pid: number,
  timeoutMs: number,
  how: "SIGTERM" | "SIGKILL" = "SIGTERM",
): Promise<TerminateResult> {
  const start = performance.now();
  if (!isProcessAlive(pid)) return { how: "already-gone", took: elapsed(start) };
  if (how === "SIGKILL") {
    signal(pid, "SIGKILL");
    if (await waitForExit(pid, 10_000)) return { how: "sigkill", took: elapsed(start) };
    throw new Error(`pid ${pid} survived SIGKILL for 10 s`);
  }
  signal(pid, "SIGTERM");
  if (await waitForExit(pid, timeoutMs)) return { how: "sigterm", took: elapsed(start) };
  signal(pid, "SIGKILL");
  if (await waitForExit(pid, 10_000)) return { how: "sigkill", took: elapsed(start) };
  throw new Error(`pid ${pid} survived SIGKILL for 10 s`);
}
