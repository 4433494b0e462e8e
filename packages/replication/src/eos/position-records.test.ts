import { describe, expect, it } from "vitest";
import {
  decodePositionRecord,
  encodePositionKey,
  encodePositionValue,
  positionsTopic,
} from "./position-records.ts";

describe("exactly-once position records", () => {
  it("round-trips a position and keeps other flows' out", () => {
    const p = { flowId: "f1", topic: "orders", partition: 2, nextOffset: 1234 };
    expect(decodePositionRecord(encodePositionKey(p), encodePositionValue(p), "f1")).toEqual(p);
    expect(decodePositionRecord(encodePositionKey(p), encodePositionValue(p), "f2")).toBeNull();
  });

  it("reads tombstones and damaged records as nothing", () => {
    const key = encodePositionKey({ flowId: "f1", topic: "t", partition: 0 });
    expect(decodePositionRecord(key, null, "f1")).toBeNull();
    expect(decodePositionRecord(key, Buffer.from("{"), "f1")).toBeNull();
    expect(decodePositionRecord(key, Buffer.from('{"nextOffset":-1}'), "f1")).toBeNull();
    expect(
      decodePositionRecord(
        Buffer.from('{"flow":"f1","topic":"t"}'),
        encodePositionValue({ nextOffset: 1 }),
        "f1",
      ),
    ).toBeNull();
  });

  it("names the topic after the source, internal to MM2's selection", () => {
    expect(positionsTopic("east")).toBe("mirrordeck-positions.east.internal");
  });
});
