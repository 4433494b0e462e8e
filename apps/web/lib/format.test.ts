import { describe, expect, it } from "vitest";
import { formatBytesRate, formatCount, formatOffset, formatRate, formatSeconds } from "./format.ts";

describe("formatting for people", () => {
  it("shows offsets exactly, digits grouped", () => {
    expect(formatOffset(0)).toBe("0");
    expect(formatOffset(12_345_678)).toBe("12,345,678");
  });

  it("abbreviates counts and rates", () => {
    expect(formatCount(999)).toBe("999");
    expect(formatCount(1234)).toBe("1.2k");
    expect(formatRate(2_500_000)).toBe("2.5M rec/s");
    expect(formatCount(0.25)).toBe("0.3");
  });
  it("writes byte rates in decimal units", () => {
    expect(formatBytesRate(512)).toBe("512 B/s");
    expect(formatBytesRate(3_400_000)).toBe("3.4 MB/s");
  });
  it("says how far behind in seconds, minutes or hours", () => {
    expect(formatSeconds(0.2)).toBe("<1 s");
    expect(formatSeconds(12.4)).toBe("12 s");
    expect(formatSeconds(600)).toBe("10 min");
    expect(formatSeconds(10_800)).toBe("3.0 h");
  });
});
