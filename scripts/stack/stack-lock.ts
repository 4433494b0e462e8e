// One stack command at a time (e.g. `npm run stack:up` while vitest's globalSetup also brings the
// stack up). The lock file records pid + start time; a lock left by a killed command is taken over.
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeSync } from "node:fs";
import path from "node:path";
import { isSameProcessAlive, type ProcessIdentity, processIdentity } from "./process-control.ts";
import type { Reporter } from "./progress.ts";
import { sleep } from "./progress.ts";
import { StackError } from "./stack-error.ts";

const WAIT_FOR_LOCK_MS = 5 * 60_000;

function readRaw(lockFile: string): string | null {
  try {
    return readFileSync(lockFile, "utf8");
  } catch {
    return null;
  }
}

function parseHolder(raw: string | null): ProcessIdentity | null {
  try {
    const holder = JSON.parse(raw ?? "") as ProcessIdentity;
    return typeof holder.pid === "number" && typeof holder.startTicks === "string" ? holder : null;
  } catch {
    return null;
  }
}

function lockAgeMs(lockFile: string): number {
  try {
    return Date.now() - statSync(lockFile).mtimeMs;
  } catch {
    return 0;
  }
}

function tryAcquire(lockFile: string, me: ProcessIdentity): boolean {
  let fd: number;
  try {
    fd = openSync(lockFile, "wx");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
  try {
    writeSync(fd, JSON.stringify(me));
  } finally {
    closeSync(fd);
  }
  return true;
}

export async function withStackLock<T>(lockFile: string, report: Reporter, fn: () => Promise<T>): Promise<T> {
  mkdirSync(path.dirname(lockFile), { recursive: true });
  const me = processIdentity(process.pid);
  if (!me) throw new StackError("cannot read /proc/self/stat: the local stack needs Linux /proc.");
  const deadline = performance.now() + WAIT_FOR_LOCK_MS;
  let announced = false;
  while (!tryAcquire(lockFile, me)) {
    const raw = readRaw(lockFile);
    const holder = parseHolder(raw);
    const stale = holder === null ? raw !== null && lockAgeMs(lockFile) > 2_000 : !isSameProcessAlive(holder);
    if (stale) {
      // Left behind by a command that was killed: take it over, unless another waiter got there
      // first and the file now names a new holder.
      if (readRaw(lockFile) === raw) rmSync(lockFile, { force: true });
      continue;
    }
    if (holder === null) {
      // Being written right now by its new holder.
      await sleep(50);
      continue;
    }
    if (!announced) {
      report(`waiting for another stack command to finish (pid ${holder.pid})...`);
      announced = true;
    }
    if (performance.now() > deadline) {
      throw new StackError(`another stack command (pid ${holder.pid}) has held ${lockFile} for too long.`);
    }
    await sleep(200);
  }
  try {
    return await fn();
  } finally {
    const holder = parseHolder(readRaw(lockFile));
    if (holder?.pid === me.pid && holder.startTicks === me.startTicks) rmSync(lockFile, { force: true });
  }
}
