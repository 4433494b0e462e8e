// Log-bucketed histogram: 8 buckets per power of two from 1 ms to ~1.2 days. Recording is one
// Math.log2 and an array increment — no allocation per record on the copy path.
const BUCKETS_PER_OCTAVE = 8;
const OCTAVES = 27;
const SIZE = BUCKETS_PER_OCTAVE * OCTAVES + 1;

export class LatencyHistogram {
  private readonly counts = new Uint32Array(SIZE);
  private total = 0;

  record(latencyMs: number): void {
    const index =
      latencyMs < 1 ? 0 : Math.min(SIZE - 1, 1 + Math.floor(Math.log2(latencyMs) * BUCKETS_PER_OCTAVE));
    this.counts[index]! += 1;
    this.total += 1;
  }

  /** Records `count` samples of the same latency at once (a whole batch acked together). */
  recordMany(latencyMs: number, count: number): void {
    const index =
      latencyMs < 1 ? 0 : Math.min(SIZE - 1, 1 + Math.floor(Math.log2(latencyMs) * BUCKETS_PER_OCTAVE));
    this.counts[index]! += count;
    this.total += count;
  }

  get count(): number {
    return this.total;
  }

  /** Upper bound of the bucket holding quantile q (0..1), in ms; null when empty. Error ≤ 9 %. */
  quantile(q: number): number | null {
    if (this.total === 0) return null;
    const rank = Math.max(1, Math.ceil(q * this.total));
    let seen = 0;
    for (let i = 0; i < SIZE; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return i === 0 ? 1 : Math.round(2 ** (i / BUCKETS_PER_OCTAVE) * 10) / 10;
    }
    return null;
  }

  reset(): void {
    this.counts.fill(0);
    this.total = 0;
  }
}
