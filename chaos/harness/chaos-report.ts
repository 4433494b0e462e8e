// The chaos report: one row per scenario, appended as the scenarios finish (they run one at a time)
// and printed as a table when the suite ends (chaos-setup.ts), also kept as Markdown.
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { repoRoot } from "../../scripts/db/paths.ts";

export interface ScenarioRow {
  scenario: string;
  /** Records the producer had acknowledged. */
  produced: number;
  sourceRecords: number;
  /** Distinct source records found on the target. */
  replicated: number;
  lost: number;
  /** What the product reported as lost (retention gaps); `lost` must equal it. */
  expectedLost: number;
  duplicates: number;
  outOfOrder: number;
  /** From the repair (or the kill) until everything on the source was copied. */
  recoverySeconds: number | null;
  seconds: number;
  note: string;
}

const reportDir = path.join(repoRoot, ".stack/test-reports");
const rowsFile = path.join(reportDir, "chaos-report.jsonl");
export const chaosReportMarkdown = path.join(reportDir, "chaos-report.md");

export function resetChaosReport(): void {
  rmSync(rowsFile, { force: true });
}

export function recordScenario(row: ScenarioRow): void {
  mkdirSync(reportDir, { recursive: true });
  appendFileSync(rowsFile, `${JSON.stringify(row)}\n`);
}

export function chaosReportTable(): string | null {
  if (!existsSync(rowsFile)) return null;
  const rows = readFileSync(rowsFile, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as ScenarioRow);
  const n = (v: number) => v.toLocaleString("en-US");
  const lines = [
    "| scenario | produced | on source | replicated | lost (reported) | duplicates | out of order | recovery s | run s | note |",
    "|---|---|---|---|---|---|---|---|---|---|",
    ...rows.map(
      (r) =>
        `| ${r.scenario} | ${n(r.produced)} | ${n(r.sourceRecords)} | ${n(r.replicated)} | ${n(r.lost)} (${n(r.expectedLost)}) | ${n(r.duplicates)} | ${r.outOfOrder} | ${r.recoverySeconds === null ? "—" : r.recoverySeconds.toFixed(1)} | ${r.seconds} | ${r.note} |`,
    ),
  ];
  const table = lines.join("\n");
  writeFileSync(chaosReportMarkdown, `${table}\n`);
  return table;
}
