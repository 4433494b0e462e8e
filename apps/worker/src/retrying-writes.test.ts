import { describe, expect, it } from "vitest";
import { createLogger } from "./logger.ts";
import { RetryingWrites } from "./retrying-writes.ts";

const log = createLogger("fatal", "test");
const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A store that refuses writes while `down`, as Postgres does during an outage. */
function flakyStore() {
  const store = { down: true, written: [] as string[] };
  const write = (value: string) => async () => {
    if (store.down) throw new Error("connection refused");
    store.written.push(value);
  };
  return { store, write };
}

describe("RetryingWrites", () => {
  it("keeps failed writes and writes them in order once the store is back", async () => {
    const { store, write } = flakyStore();
    const writes = new RetryingWrites(log, 20);
    writes.run(write("event-1"));
    await tick(5);
    writes.run(write("event-2"));
    writes.run(write("event-3"));
    await tick(50);
    expect(store.written).toEqual([]);
    expect(writes.waiting).toBe(3);
    store.down = false;
    await tick(60);
    expect(store.written).toEqual(["event-1", "event-2", "event-3"]);
    expect(writes.waiting).toBe(0);
    // Back to direct writes.
    writes.run(write("event-4"));
    await tick(5);
    expect(store.written.at(-1)).toBe("event-4");
  });

  it("keeps only the latest write of a key, and at most maxPending writes", async () => {
    const { store, write } = flakyStore();
    const writes = new RetryingWrites(log, 20, 3);
    writes.run(write("state RUNNING"), "state:f1");
    await tick(5);
    writes.run(write("state ERROR"), "state:f1");
    writes.run(write("state RUNNING again"), "state:f1");
    expect(writes.waiting).toBe(1);
    for (const n of [1, 2, 3]) writes.run(write(`event-${n}`));
    expect(writes.waiting).toBe(3);
    store.down = false;
    await writes.flush();
    expect(store.written).toEqual(["event-1", "event-2", "event-3"]);
  });
});
