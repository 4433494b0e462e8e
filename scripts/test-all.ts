// `npm test`: typecheck, lint, unit, integration (real stack), e2e (Debian Chromium), chaos (short), bench smoke.
// Ends with one line `N passed, N failed[, N skipped]` and a non-zero exit on any failure.
import "./load-dotenv.ts";
import { spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { stripVTControlCharacters } from "node:util";
import { repoRoot } from "./db/paths.ts";
import { stackUp } from "./stack/index.ts";
import { ensureChromium } from "./test-support/ensure-chromium.ts";

interface Tally {
  passed: number;
  failed: number;
  skipped: number;
}
const total: Tally = { passed: 0, failed: 0, skipped: 0 };
/** What failed, by name, repeated at the very end: a CI log is often read from its tail only. */
const failures: string[] = [];
const timings: string[] = [];
const startedAt = Date.now();

function run(command: string, args: string[], env: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: repoRoot, stdio: "inherit", env: { ...process.env, ...env } });
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    child.on("error", () => resolve(127));
  });
}

async function phase(name: string, body: () => Promise<void>): Promise<void> {
  const t0 = Date.now();
  console.log(`\n━━ ${name} ━━`);
  await body();
  timings.push(`${name} ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

/** A step that is one check: passes when the command exits 0. */
async function check(name: string, command: string, args: string[]): Promise<boolean> {
  let ok = false;
  await phase(name, async () => {
    ok = (await run(command, args)) === 0;
    if (ok) total.passed += 1;
    else {
      total.failed += 1;
      failures.push(name);
      console.error(`✗ ${name} failed`);
    }
  });
  return ok;
}

interface VitestJson {
  testResults?: {
    name: string;
    status: string;
    message?: string;
    assertionResults?: { fullName: string; status: string; failureMessages?: string[] }[];
  }[];
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  numFailedTestSuites: number;
}

async function vitestProject(project: "unit" | "integration" | "chaos"): Promise<void> {
  await phase(`${project} tests`, async () => {
    const out = path.join(repoRoot, `.stack/test-reports/vitest-${project}.json`);
    rmSync(out, { force: true });
    const code = await run("npx", [
      "vitest",
      "run",
      "--project",
      project,
      "--reporter=default",
      "--reporter=json",
      `--outputFile.json=${out}`,
    ]);
    if (!existsSync(out)) {
      total.failed += 1;
      failures.push(`${project} tests produced no report (exit ${code})`);
      console.error(`✗ ${project} tests produced no report (exit ${code})`);
      return;
    }
    const report = JSON.parse(readFileSync(out, "utf8")) as VitestJson;
    total.passed += report.numPassedTests;
    total.failed += report.numFailedTests;
    total.skipped += report.numPendingTests + report.numTodoTests;
    // A suite that failed to load has no failed tests but must still count.
    if (code !== 0 && report.numFailedTests === 0) total.failed += Math.max(1, report.numFailedTestSuites);
    const named = vitestFailures(project, report);
    if (code !== 0 && named.length === 0)
      named.push(`${project} tests: exit ${code} with no failed test named`);
    failures.push(...named);
  });
}

/** `project: file › test — first line of the error` for each failed test or suite that did not load. */
function vitestFailures(project: string, report: VitestJson): string[] {
  const names: string[] = [];
  for (const file of report.testResults ?? []) {
    const where = path.relative(repoRoot, file.name);
    const failed = (file.assertionResults ?? []).filter((test) => test.status === "failed");
    for (const test of failed)
      names.push(`${project}: ${where} › ${test.fullName} — ${firstLine(test.failureMessages?.[0])}`);
    if (failed.length === 0 && file.status === "failed")
      names.push(`${project}: ${where} — ${firstLine(file.message)}`);
  }
  return names;
}

function firstLine(text: string | undefined): string {
  const line =
    stripVTControlCharacters(text ?? "")
      .trim()
      .split("\n")[0] ?? "";
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

interface PlaywrightSuite {
  title: string;
  file?: string;
  suites?: PlaywrightSuite[];
  specs?: {
    title: string;
    file?: string;
    tests: { status: string; results: { error?: { message?: string } }[] }[];
  }[];
}

interface PlaywrightJson {
  stats: { expected: number; unexpected: number; flaky: number; skipped: number };
  suites?: PlaywrightSuite[];
  errors?: { message?: string }[];
}

/** Failed e2e tests by file and title, with the first line of the last attempt's error. */
function playwrightFailures(report: PlaywrightJson): string[] {
  const names: string[] = [];
  const visit = (suite: PlaywrightSuite, titles: string[]): void => {
    const here = suite.title && suite.title !== suite.file ? [...titles, suite.title] : titles;
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests) {
        if (test.status !== "unexpected") continue;
        const error = test.results.at(-1)?.error?.message;
        names.push(
          `e2e: ${spec.file ?? suite.file ?? ""} › ${[...here, spec.title].join(" › ")} — ${firstLine(error)}`,
        );
      }
    }
    for (const child of suite.suites ?? []) visit(child, here);
  };
  for (const suite of report.suites ?? []) visit(suite, []);
  for (const error of report.errors ?? []) names.push(`e2e: ${firstLine(error.message)}`);
  return names;
}

async function e2e(): Promise<void> {
  await phase("e2e tests", async () => {
    const out = path.join(repoRoot, "playwright/report/results.json");
    rmSync(out, { force: true });
    const code = await run("npx", ["playwright", "test", "-c", "playwright/playwright.config.ts"]);
    if (!existsSync(out)) {
      total.failed += 1;
      failures.push(`e2e produced no report (exit ${code})`);
      console.error(`✗ e2e produced no report (exit ${code})`);
      return;
    }
    const report = JSON.parse(readFileSync(out, "utf8")) as PlaywrightJson;
    total.passed += report.stats.expected + report.stats.flaky;
    total.failed += report.stats.unexpected;
    total.skipped += report.stats.skipped;
    if (code !== 0 && report.stats.unexpected === 0) total.failed += 1;
    const named = playwrightFailures(report);
    if (code !== 0 && named.length === 0) named.push(`e2e: exit ${code} with no failed test named`);
    failures.push(...named);
  });
}

await phase("prepare", async () => {
  if (!existsSync(path.join(repoRoot, "packages/db/src/generated/prisma/client.ts"))) {
    if ((await run("npm", ["run", "db:generate"])) !== 0) throw new Error("prisma generate failed");
  }
});
await check("typecheck", "npm", ["run", "typecheck"]);
await check("lint", "npx", ["biome", "check", "."]);
await vitestProject("unit");
/** scripts/compose/check.ts exits with it when no docker-compose is installed. */
const COMPOSE_MISSING = 3;
await phase("compose config", async () => {
  const code = await run("npx", ["tsx", "scripts/compose/check.ts"]);
  if (code === 0) total.passed += 1;
  else if (code === COMPOSE_MISSING)
    total.skipped += 1; // .ci/run installs it
  else {
    total.failed += 1;
    failures.push("compose config");
    console.error("✗ compose config failed");
  }
});
// Postgres must be up (and the app database created) before the drift check can compare.
await phase("local stack", () => stackUp());
await check("schema drift", "npx", ["tsx", "scripts/db/check-drift.ts"]);
await vitestProject("integration");
const built = await check("build", "npx", ["turbo", "run", "build", "--output-logs=errors-only"]);
if (built) {
  await ensureChromium();
  await e2e();
  // The chaos suite's short profile (`npm run test:chaos` runs the full one); it needs the build.
  await vitestProject("chaos");
}
// The benchmark's smoke run: both tools, every scenario, small sizes, every copy verified.
await check("bench smoke", "npm", ["run", "bench", "--", "--quick"]);

console.log(`\n${timings.join(" · ")} · total ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
if (failures.length > 0) console.log(`\nfailed:\n${failures.map((name) => `  ✗ ${name}`).join("\n")}`);
const skipped = total.skipped > 0 ? `, ${total.skipped} skipped` : "";
console.log(`${total.passed} passed, ${total.failed} failed${skipped}`);
process.exit(total.failed > 0 ? 1 : 0);
