// Samples a process's resident memory and CPU time from /proc (Linux), the same way for the Node
// worker and the MirrorMaker 2 JVM.
import { readFileSync } from "node:fs";

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

export interface UsageSample {
  at: number;
  rssMb: number;
  cpuSeconds: number;
}

function sample(pid: number): UsageSample | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const rssKb = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? Number.NaN);
    // Fields after the command name (which may hold spaces): utime is the 14th field, stime the 15th.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]);
    if (!Number.isFinite(rssKb) || !Number.isFinite(ticks)) return null;
    return { at: Date.now(), rssMb: rssKb / 1024, cpuSeconds: ticks / TICKS_PER_SECOND };
  } catch {
    return null;
  }
}

export class ProcessUsage {
  readonly samples: UsageSample[] = [];
  private readonly timer: NodeJS.Timeout;

  constructor(
    readonly pid: number,
    intervalMs = 250,
  ) {
    this.timer = setInterval(() => this.take(), intervalMs);
    this.take();
  }

  take(): UsageSample | null {
    const s = sample(this.pid);
    if (s) this.samples.push(s);
    return s;
  }

  stop(): void {
    clearInterval(this.timer);
  }

  peakRssMb(): number {
    return Math.max(0, ...this.samples.map((s) => s.rssMb));
  }

  /** Median RSS of the samples in [from, to]. */
  rssMbBetween(from: number, to: number): number {
    const values = this.samples.filter((s) => s.at >= from && s.at <= to).map((s) => s.rssMb);
    values.sort((a, b) => a - b);
    return values[Math.floor(values.length / 2)] ?? 0;
  }

  /** CPU seconds spent in [from, to] (nearest samples). */
  cpuSecondsBetween(from: number, to: number): number {
    const inside = this.samples.filter((s) => s.at >= from && s.at <= to);
    if (inside.length < 2) return 0;
    return inside.at(-1)!.cpuSeconds - inside[0]!.cpuSeconds;
  }
}
