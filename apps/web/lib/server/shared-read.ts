import { redis } from "./redis.ts";

/** Past this many distinct reads, stale ones are dropped before a new one is kept. */
const MAX_ENTRIES = 200;

interface Entry {
  readAt: number;
  value: Promise<unknown>;
}

// On globalThis: Next bundles each route apart, and they should share one read.
const shared = globalThis as unknown as { mirrordeckSharedReads?: Map<string, Entry> };

/**
 * `read` at most once per `freshMs`, however many requests and live streams ask at once: a list of
 * fifty flows, or a hundred open flow pages, cost one Redis round trip a second. A failed read is
 * not kept.
 */
export function sharedRead<T>(name: string, read: () => Promise<T>, freshMs = 1_000): Promise<T> {
  shared.mirrordeckSharedReads ??= new Map();
  const reads = shared.mirrordeckSharedReads;
  const cached = reads.get(name);
  if (cached !== undefined && Date.now() - cached.readAt < freshMs) return cached.value as Promise<T>;
  const entry: Entry = { readAt: Date.now(), value: read() };
  if (reads.size >= MAX_ENTRIES) {
    for (const [key, old] of reads) if (entry.readAt - old.readAt >= freshMs) reads.delete(key);
  }
  reads.set(name, entry);
  entry.value.catch(() => {
    if (reads.get(name) === entry) reads.delete(name);
  });
  return entry.value as Promise<T>;
}

/**
 * Drops every shared read: called after each write this process serves, so the writer's next read
 * (a flow list after creating a flow) sees its own change rather than the last second's answer.
 */
export function forgetSharedReads(): void {
  shared.mirrordeckSharedReads?.clear();
}

/** The values of every key under `prefix` (one SCAN, one MGET), missing ones left out. */
export async function readPrefix(prefix: string): Promise<string[]> {
  const client = redis();
  const keys: string[] = [];
  let cursor = "0";
  do {
    const [next, found] = await client.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1_000);
    cursor = next;
    keys.push(...found);
  } while (cursor !== "0");
  if (keys.length === 0) return [];
  return (await client.mget(keys)).filter((v): v is string => v !== null);
}
