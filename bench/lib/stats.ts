// Medians over repeated runs: each figure of the report is the median of its runs.
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The median of each numeric field over runs of the same shape. */
export function medianOf<T extends object>(
  runs: readonly T[],
): { [K in keyof T]: T[K] extends number ? number : T[K] } {
  const first = runs[0]!;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(first)) {
    out[key] =
      typeof value === "number" ? median(runs.map((r) => (r as Record<string, number>)[key]!)) : value;
  }
  return out as { [K in keyof T]: T[K] extends number ? number : T[K] };
}

export function ratio(a: number, b: number): number | null {
  return Number.isFinite(a) && Number.isFinite(b) && b > 0 ? a / b : null;
}
