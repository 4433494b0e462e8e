// The benchmark's output: one JSON file (everything measured, every run), a markdown report of the
// medians and ratios, and a PNG chart of the same (an SVG page screenshotted by Debian's Chromium).
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { CHROMIUM, CHROMIUM_FLAGS } from "../../scripts/test-support/ensure-chromium.ts";
import type { CopyRun } from "./replicate.ts";
import {
  type Ceiling,
  type CopyScenario,
  DELIVERY_VARIANTS,
  type DeliveryScenario,
  type DeliveryVariant,
  type LatencyRun,
} from "./scenarios.ts";
import { median, medianOf, ratio } from "./stats.ts";

export interface BenchResults {
  generatedAt: string;
  mode: "full" | "quick";
  commit: string;
  durationSeconds: number;
  machine: Record<string, string | number>;
  settings: Record<string, unknown>;
  steady?: CopyScenario & { ceiling: Ceiling };
  smallTopics?: CopyScenario;
  latency?: { params: Record<string, number>; runs: Record<"mirrordeck" | "mm2", LatencyRun[]> };
  compressed?: Record<string, CopyScenario>;
  exactlyOnce?: DeliveryScenario;
  profile?: { before?: ProfileFrame[]; after: ProfileFrame[] };
}

export interface ProfileFrame {
  frame: string;
  selfPercent: number;
}

export interface SummaryRow {
  scenario: string;
  metric: string;
  mirrordeck: number | null;
  mm2: number | null;
  ceiling: number | null;
  /** MirrorDeck ÷ MM2 (for latency and memory: lower is better). */
  ratio: number | null;
  target: string;
  met: boolean | null;
}

const fmt = (n: number | null, digits = 0) =>
  n === null || !Number.isFinite(n)
    ? "—"
    : n.toLocaleString("en", { maximumFractionDigits: digits, minimumFractionDigits: digits });
const x = (n: number | null) => (n === null ? "—" : `${n.toFixed(2)}×`);

function copyMedian(runs: CopyRun[]): CopyRun | null {
  return runs.length > 0 ? (medianOf(runs) as CopyRun) : null;
}

export function summarize(r: BenchResults): SummaryRow[] {
  const rows: SummaryRow[] = [];
  const copyRows = (scenario: string, s: CopyScenario, ceiling: number | null, target: number | null) => {
    const md = copyMedian(s.runs.mirrordeck);
    const mm = copyMedian(s.runs.mm2);
    const rateRatio = ratio(md?.recordsPerSec ?? Number.NaN, mm?.recordsPerSec ?? Number.NaN);
    rows.push({
      scenario,
      metric: "records/s (first → last record)",
      mirrordeck: md?.recordsPerSec ?? null,
      mm2: mm?.recordsPerSec ?? null,
      ceiling,
      ratio: rateRatio,
      target: target === null ? "" : `≥ ${target}× MM2`,
      met: target === null || rateRatio === null ? null : rateRatio >= target,
    });
    rows.push({
      scenario,
      metric: "catch-up s (start → last record)",
      mirrordeck: md?.catchUpSeconds ?? null,
      mm2: mm?.catchUpSeconds ?? null,
      ceiling: null,
      ratio: ratio(md?.catchUpSeconds ?? Number.NaN, mm?.catchUpSeconds ?? Number.NaN),
      target: "",
      met: null,
    });
  };
  if (r.steady) {
    const ceiling = r.steady.ceiling.recordsPerSec;
    copyRows("1 steady", r.steady, ceiling, 1.5);
    const md = copyMedian(r.steady.runs.mirrordeck);
    const share = ratio(md?.recordsPerSec ?? Number.NaN, ceiling);
    rows.push({
      scenario: "1 steady",
      metric: "fraction of the ceiling",
      mirrordeck: share,
      mm2: ratio(copyMedian(r.steady.runs.mm2)?.recordsPerSec ?? Number.NaN, ceiling),
      ceiling: 1,
      ratio: null,
      target: "≥ 0.8",
      met: share === null ? null : share >= 0.8,
    });
  }
  if (r.smallTopics) copyRows("2 small topics", r.smallTopics, null, 1.5);
  if (r.latency) {
    for (const [key, label] of [
      ["p50Ms", "p50"],
      ["p99Ms", "p99"],
      ["p999Ms", "p99.9"],
    ] as const) {
      const md = median(r.latency.runs.mirrordeck.map((l) => l[key]));
      const mm = median(r.latency.runs.mm2.map((l) => l[key]));
      rows.push({
        scenario: "3 latency",
        metric: `${label} ms`,
        mirrordeck: md,
        mm2: mm,
        ceiling: null,
        ratio: ratio(md, mm),
        target: key === "p99Ms" ? "≤ MM2" : "",
        met: key === "p99Ms" ? md <= mm : null,
      });
    }
  }
  if (r.steady) {
    const md = copyMedian(r.steady.runs.mirrordeck);
    const mm = copyMedian(r.steady.runs.mm2);
    const rss = ratio(md?.peakRssMb ?? Number.NaN, mm?.peakRssMb ?? Number.NaN);
    rows.push({
      scenario: "4 resources",
      metric: "peak RSS MB (scenario 1)",
      mirrordeck: md?.peakRssMb ?? null,
      mm2: mm?.peakRssMb ?? null,
      ceiling: null,
      ratio: rss,
      target: "≤ 0.33",
      met: rss === null ? null : rss <= 1 / 3,
    });
    const perMillion = (c: CopyRun | null) => (c ? (c.cpuSeconds * 1e6) / c.records : Number.NaN);
    rows.push({
      scenario: "4 resources",
      metric: "CPU s per million records (scenario 1)",
      mirrordeck: perMillion(md),
      mm2: perMillion(mm),
      ceiling: null,
      ratio: ratio(perMillion(md), perMillion(mm)),
      target: "",
      met: null,
    });
  }
  if (r.latency) {
    for (const [key, label] of [
      ["steadyRssMb", "steady RSS MB (scenario 3)"],
      ["cpuPercent", "CPU % of a core (scenario 3)"],
    ] as const) {
      const md = median(r.latency.runs.mirrordeck.map((l) => l[key]));
      const mm = median(r.latency.runs.mm2.map((l) => l[key]));
      rows.push({
        scenario: "4 resources",
        metric: label,
        mirrordeck: md,
        mm2: mm,
        ceiling: null,
        ratio: ratio(md, mm),
        target: "",
        met: null,
      });
    }
  }
  for (const [codec, s] of Object.entries(r.compressed ?? {})) {
    const md = copyMedian(s.runs.mirrordeck);
    const mm = copyMedian(s.runs.mm2);
    rows.push({
      scenario: `5 ${codec}`,
      metric: s.unsupported.mirrordeck
        ? `records/s — MirrorDeck: ${s.unsupported.mirrordeck}`
        : s.unsupported.mm2
          ? `records/s — MM2: ${s.unsupported.mm2}`
          : "records/s (first → last record)",
      mirrordeck: md?.recordsPerSec ?? null,
      mm2: mm?.recordsPerSec ?? null,
      ceiling: null,
      ratio: ratio(md?.recordsPerSec ?? Number.NaN, mm?.recordsPerSec ?? Number.NaN),
      target: "",
      met: null,
    });
  }
  if (r.exactlyOnce) rows.push(...exactlyOnceRows(r.exactlyOnce));
  return rows;
}

const perMillionRecords = (c: CopyRun | null) => (c ? (c.cpuSeconds * 1e6) / c.records : Number.NaN);

function deliveryMedians(s: DeliveryScenario): Record<DeliveryVariant, CopyRun | null> {
  return {
    mirrordeck: copyMedian(s.runs.mirrordeck),
    mm2: copyMedian(s.runs.mm2),
    mirrordeckEos: copyMedian(s.runs.mirrordeckEos),
    mm2Eos: copyMedian(s.runs.mm2Eos),
  };
}

/** Scenario 6 in the summary: exactly-once MirrorDeck against exactly-once MM2, and each one's cost. */
function exactlyOnceRows(s: DeliveryScenario): SummaryRow[] {
  const m = deliveryMedians(s);
  const row = (metric: string, md: number | null, mm: number | null): SummaryRow => ({
    scenario: "6 exactly-once",
    metric,
    mirrordeck: md,
    mm2: mm,
    ceiling: null,
    ratio: metric.startsWith("fraction") ? null : ratio(md ?? Number.NaN, mm ?? Number.NaN),
    target: "",
    met: null,
  });
  const share = (eos: CopyRun | null, plain: CopyRun | null) =>
    ratio(eos?.recordsPerSec ?? Number.NaN, plain?.recordsPerSec ?? Number.NaN);
  return [
    row(
      "records/s (first record → last committed), both exactly-once",
      m.mirrordeckEos?.recordsPerSec ?? null,
      m.mm2Eos?.recordsPerSec ?? null,
    ),
    row(
      "catch-up s (start → last committed), both exactly-once",
      m.mirrordeckEos?.catchUpSeconds ?? null,
      m.mm2Eos?.catchUpSeconds ?? null,
    ),
    row(
      "fraction of its at-least-once records/s (exactly-once's cost)",
      share(m.mirrordeckEos, m.mirrordeck),
      share(m.mm2Eos, m.mm2),
    ),
    row(
      "CPU s per million records, both exactly-once",
      perMillionRecords(m.mirrordeckEos),
      perMillionRecords(m.mm2Eos),
    ),
  ];
}

function exactlyOnceSection(s: DeliveryScenario): string[] {
  const m = deliveryMedians(s);
  const variants = Object.keys(DELIVERY_VARIANTS) as DeliveryVariant[];
  const out = [
    `${JSON.stringify(s.params)}`,
    "",
    "Like every copy in this benchmark, each is timed to its last committed record (BenchTool `committed`: each remote partition's last record readable with read_committed is its source partition's last record); these are verified with a read_committed digest. MirrorDeck exactly-once: the flow setting `exactlyOnce` (ADR 0015); MM2 exactly-once: `west.exactly.once.source.support = enabled` (KIP-618).",
    "",
    `| median | ${variants.map((v) => DELIVERY_VARIANTS[v].name).join(" | ")} |`,
    `|---|${variants.map(() => "---").join("|")}|`,
    `| records/s | ${variants.map((v) => fmt(m[v]?.recordsPerSec ?? null)).join(" | ")} |`,
    `| start → last committed s | ${variants.map((v) => fmt(m[v]?.catchUpSeconds ?? null, 1)).join(" | ")} |`,
    `| CPU s per million records | ${variants.map((v) => fmt(perMillionRecords(m[v]), 1)).join(" | ")} |`,
    `| peak RSS MB | ${variants.map((v) => fmt(m[v]?.peakRssMb ?? null)).join(" | ")} |`,
    "",
    "| variant | run | records/s | MB/s | start → first s | first → last s | start → last s | peak RSS MB | CPU s |",
    "|---|---|---|---|---|---|---|---|---|",
  ];
  for (const v of variants) {
    s.runs[v].forEach((c, i) => {
      out.push(
        `| ${DELIVERY_VARIANTS[v].name} | ${i + 1} | ${fmt(c.recordsPerSec)} | ${fmt(c.mbPerSec, 1)} | ${fmt(c.startToFirstSeconds, 1)} | ${fmt(c.copySeconds, 1)} | ${fmt(c.catchUpSeconds, 1)} | ${fmt(c.peakRssMb)} | ${fmt(c.cpuSeconds, 1)} |`,
      );
    });
  }
  return out;
}

function copyTable(s: CopyScenario): string {
  const lines = [
    "| tool | run | records/s | MB/s | start → first s | first → last s | start → last s | peak RSS MB | CPU s |",
    "|---|---|---|---|---|---|---|---|---|",
  ];
  for (const tool of ["mirrordeck", "mm2"] as const) {
    s.runs[tool].forEach((c, i) => {
      lines.push(
        `| ${tool === "mm2" ? "MM2" : "MirrorDeck"} | ${i + 1} | ${fmt(c.recordsPerSec)} | ${fmt(c.mbPerSec, 1)} | ${fmt(c.startToFirstSeconds, 1)} | ${fmt(c.copySeconds, 1)} | ${fmt(c.catchUpSeconds, 1)} | ${fmt(c.peakRssMb)} | ${fmt(c.cpuSeconds, 1)} |`,
      );
    });
  }
  return lines.join("\n");
}

export function markdownReport(r: BenchResults, rows: SummaryRow[]): string {
  const out: string[] = [];
  out.push(`# MirrorDeck vs MirrorMaker 2 — ${r.mode} benchmark, ${r.generatedAt.slice(0, 10)}`);
  out.push("");
  out.push(
    `Commit \`${r.commit}\`, ${r.durationSeconds.toFixed(0)} s. Every figure is the median of its runs, all measured in this one run on the same brokers; every run was verified (count and CRC32C per partition) before it counted.`,
  );
  out.push("");
  out.push("| scenario | metric | MirrorDeck | MM2 | ceiling | MirrorDeck ÷ MM2 | target | met |");
  out.push("|---|---|---|---|---|---|---|---|");
  for (const row of rows) {
    const digits = row.metric.startsWith("fraction")
      ? 2
      : row.metric.includes(" s ") || row.metric.startsWith("catch")
        ? 1
        : 0;
    out.push(
      `| ${row.scenario} | ${row.metric} | ${fmt(row.mirrordeck, digits)} | ${fmt(row.mm2, digits)} | ${fmt(row.ceiling, digits)} | ${x(row.ratio)} | ${row.target} | ${row.met === null ? "" : row.met ? "yes" : "no"} |`,
    );
  }
  out.push("");
  out.push("## Machine");
  out.push("");
  for (const [k, v] of Object.entries(r.machine)) out.push(`- ${k}: ${v}`);
  if (r.steady) {
    const c = r.steady.ceiling;
    out.push("");
    out.push("## 1. Steady throughput");
    out.push("");
    out.push(`${JSON.stringify(r.steady.params)}`);
    out.push("");
    out.push(
      `Ceiling: ProducerPerformance into west ${c.producerRecordsPerSec.map((v) => fmt(v)).join(", ")} records/s; ConsumerPerformance from east ${c.consumerRecordsPerSec.map((v) => fmt(v)).join(", ")} records/s; the slower median: **${fmt(c.recordsPerSec)} records/s**.`,
    );
    out.push("");
    out.push(copyTable(r.steady));
  }
  if (r.smallTopics) {
    out.push("");
    out.push("## 2. Many small topics");
    out.push("");
    out.push(`${JSON.stringify(r.smallTopics.params)}`);
    out.push("");
    out.push(copyTable(r.smallTopics));
  }
  if (r.latency) {
    out.push("");
    out.push("## 3. Latency under load (target append time − source send time)");
    out.push("");
    out.push(`${JSON.stringify(r.latency.params)}`);
    out.push("");
    out.push("| tool | run | records | p50 ms | p99 ms | p99.9 ms | max ms | steady RSS MB | CPU % |");
    out.push("|---|---|---|---|---|---|---|---|---|");
    for (const tool of ["mirrordeck", "mm2"] as const) {
      r.latency.runs[tool].forEach((l, i) => {
        out.push(
          `| ${tool === "mm2" ? "MM2" : "MirrorDeck"} | ${i + 1} | ${fmt(l.records)} | ${l.p50Ms} | ${l.p99Ms} | ${l.p999Ms} | ${l.maxMs} | ${fmt(l.steadyRssMb)} | ${fmt(l.cpuPercent)} |`,
        );
      });
    }
  }
  for (const [codec, s] of Object.entries(r.compressed ?? {})) {
    out.push("");
    out.push(`## 5. Compressed source: ${codec}`);
    out.push("");
    for (const [tool, why] of Object.entries(s.unsupported))
      out.push(`- ${tool}: not run to the end: ${why}`);
    out.push(copyTable(s));
  }
  if (r.exactlyOnce) {
    out.push("");
    out.push("## 6. Exactly-once (scenario 1's backlog, each tool at least once and exactly once)");
    out.push("");
    out.push(...exactlyOnceSection(r.exactlyOnce));
  }
  if (r.profile) {
    out.push("");
    out.push("## Worker CPU profile (self time, scenario 1)");
    for (const [label, frames] of [
      ["before", r.profile.before],
      ["now", r.profile.after],
    ] as const) {
      if (!frames) continue;
      out.push("");
      out.push(`${label}:`);
      out.push("");
      out.push("| frame | self % |");
      out.push("|---|---|");
      for (const f of frames) out.push(`| \`${f.frame}\` | ${f.selfPercent.toFixed(1)} |`);
    }
  }
  out.push("");
  out.push("## Settings");
  out.push("");
  out.push("```json");
  out.push(JSON.stringify(r.settings, null, 2));
  out.push("```");
  return `${out.join("\n")}\n`;
}

/** Bars of MirrorDeck, MM2 and the ceiling per metric, as an SVG page. */
function chartHtml(r: BenchResults, rows: SummaryRow[]): string {
  const charted = rows.filter(
    (row) => row.mirrordeck !== null && row.mm2 !== null && !row.metric.startsWith("fraction"),
  );
  const width = 1100;
  const rowHeight = 64;
  const left = 380;
  const barWidth = width - left - 140;
  const colors = { mirrordeck: "#2563eb", mm2: "#f97316", ceiling: "#9ca3af" };
  const bars: string[] = [];
  charted.forEach((row, i) => {
    const y = 70 + i * rowHeight;
    const max = Math.max(row.mirrordeck ?? 0, row.mm2 ?? 0, row.ceiling ?? 0) || 1;
    bars.push(
      `<text x="10" y="${y + 22}" font-size="14">${row.scenario}: ${row.metric.replace(/&/g, "&amp;").replace(/</g, "&lt;")}</text>`,
    );
    const series = [
      ["mirrordeck", row.mirrordeck],
      ["mm2", row.mm2],
      ["ceiling", row.ceiling],
    ] as const;
    series.forEach(([name, value], j) => {
      if (value === null) return;
      const w = Math.max(1, (value / max) * barWidth);
      const by = y + j * 17;
      bars.push(`<rect x="${left}" y="${by}" width="${w}" height="14" fill="${colors[name]}"/>`);
      bars.push(
        `<text x="${left + w + 6}" y="${by + 12}" font-size="12">${fmt(value, value < 10 ? 2 : 0)}</text>`,
      );
    });
  });
  const height = 90 + charted.length * rowHeight;
  return `<!doctype html><html><body style="margin:0;background:#fff;font-family:sans-serif">
<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
<text x="10" y="28" font-size="20" font-weight="bold">MirrorDeck vs MirrorMaker 2 (${r.mode}, ${r.generatedAt.slice(0, 10)}, medians)</text>
<rect x="${left}" y="40" width="14" height="14" fill="${colors.mirrordeck}"/><text x="${left + 20}" y="52" font-size="13">MirrorDeck</text>
<rect x="${left + 120}" y="40" width="14" height="14" fill="${colors.mm2}"/><text x="${left + 140}" y="52" font-size="13">MirrorMaker 2</text>
<rect x="${left + 260}" y="40" width="14" height="14" fill="${colors.ceiling}"/><text x="${left + 280}" y="52" font-size="13">ceiling (Kafka perf tools)</text>
${bars.join("\n")}
</svg></body></html>`;
}

export function writeResults(
  dir: string,
  r: BenchResults,
): { json: string; markdown: string; png: string | null } {
  mkdirSync(dir, { recursive: true });
  const rows = summarize(r);
  const base = path.join(dir, `bench-${r.mode}`);
  writeFileSync(`${base}.json`, `${JSON.stringify({ ...r, summary: rows }, null, 2)}\n`);
  writeFileSync(`${base}.md`, markdownReport(r, rows));
  const html = `${base}.chart.html`;
  writeFileSync(html, chartHtml(r, rows));
  const height = 90 + rows.length * 64;
  const shot = spawnSync(
    CHROMIUM,
    [
      "--headless",
      ...CHROMIUM_FLAGS,
      "--hide-scrollbars",
      `--screenshot=${base}.png`,
      `--window-size=1100,${height}`,
      `file://${html}`,
    ],
    { stdio: "ignore", timeout: 60_000 },
  );
  return { json: `${base}.json`, markdown: `${base}.md`, png: shot.status === 0 ? `${base}.png` : null };
}
