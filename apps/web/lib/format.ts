// Numbers for people: 1.2k rec/s, 3.4 MB/s, 12 s behind.

export function formatCount(n: number): string {
  const abs = Math.abs(n);
  if (abs >= 1e9) return `${(n / 1e9).toFixed(1)}G`;
  if (abs >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (abs >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return abs >= 10 || Number.isInteger(n) ? String(Math.round(n)) : n.toFixed(1);
}

/** Kafka offsets are exact positions: every digit, grouped (12,345,678). */
export function formatOffset(n: number): string {
  return n.toLocaleString("en-US");
}

export function formatRate(perSecond: number, unit = "rec/s"): string {
  return `${formatCount(perSecond)} ${unit}`;
}

export function formatBytesRate(bytesPerSecond: number): string {
  const units = ["B/s", "KB/s", "MB/s", "GB/s"];
  let value = bytesPerSecond;
  let i = 0;
  while (value >= 1000 && i < units.length - 1) {
    value /= 1000;
    i += 1;
  }
  return `${value >= 10 || i === 0 ? Math.round(value) : value.toFixed(1)} ${units[i]}`;
}

export function formatSeconds(seconds: number): string {
  if (seconds < 1) return "<1 s";
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}
