import { describe, expect, it } from "vitest";
import { LatencyHistogram } from "./latency-histogram.ts";

describe("LatencyHistogram", () => {
  it("is empty until something is recorded", () => {
    expect(new LatencyHistogram().quantile(0.5)).toBeNull();
  });

  it("reports p50 and p99 within the bucket error of the true values", () => {
    const h = new LatencyHistogram();
    for (let ms = 1; ms <= 1000; ms++) h.record(ms);
    const p50 = h.quantile(0.5)!;
    const p99 = h.quantile(0.99)!;
    expect(p50).toBeGreaterThanOrEqual(500);
    expect(p50).toBeLessThanOrEqual(500 * 1.1);
    expect(p99).toBeGreaterThanOrEqual(990);
    expect(p99).toBeLessThanOrEqual(990 * 1.1);
  });

  it("weights a batch recorded at once like the same samples one by one", () => {
    const a = new LatencyHistogram();
    const b = new LatencyHistogram();
    a.recordMany(40, 99);
    a.record(4000);
    for (let i = 0; i < 99; i++) b.record(40);
    b.record(4000);
    expect(a.quantile(0.99)).toBe(b.quantile(0.99));
    expect(a.quantile(1)).toBeGreaterThanOrEqual(4000);
    expect(a.count).toBe(100);
  });

  it("forgets everything on reset", () => {
    const h = new LatencyHistogram();
    h.record(10);
    h.reset();
    expect(h.count).toBe(0);
    expect(h.quantile(0.5)).toBeNull();
  });
});
