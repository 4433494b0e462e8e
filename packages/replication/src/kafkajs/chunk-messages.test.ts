import { describe, expect, it } from "vitest";
import { chunkBySize } from "./chunk-messages.ts";

describe("chunkBySize", () => {
  it("splits by accumulated size, keeps order, and never leaves a chunk empty", () => {
    const messages = Array.from({ length: 10 }, (_, i) => ({ key: `k${i}`, value: Buffer.alloc(100) }));
    const chunks = chunkBySize(messages, 500);
    expect(chunks.flat()).toEqual(messages);
    expect(chunks.every((c) => c.length > 0 && c.length <= 3)).toBe(true);
    expect(chunkBySize([{ key: null, value: Buffer.alloc(10_000) }], 500)).toHaveLength(1);
    expect(chunkBySize([], 500)).toEqual([]);
  });
});
