import path from "node:path";
import { defineConfig } from "@playwright/test";
import { e2eBaseUrl, e2eDatabaseUrl, e2ePort } from "./e2e-env.ts";

const repoRoot = path.resolve(import.meta.dirname, "..");

export default defineConfig({
  testDir: "./tests",
  outputDir: "./test-results",
  globalSetup: "./global-setup.ts",
  timeout: 60_000,
  workers: 1,
  retries: 0,
  reporter: [["list"], ["json", { outputFile: "report/results.json" }]],
  use: {
    baseURL: e2eBaseUrl,
    viewport: { width: 1280, height: 800 },
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
    launchOptions: {
      // Debian's Chromium: never a downloaded browser. Background networking off: the machine is offline.
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: {
    // The production build made by `npm run build` (npm test builds first).
    command: `npx next start apps/web -H 127.0.0.1 -p ${e2ePort}`,
    cwd: repoRoot,
    url: `${e2eBaseUrl}/api/v1/health`,
    reuseExistingServer: false,
    timeout: 60_000,
    env: { DATABASE_URL: e2eDatabaseUrl, NODE_ENV: "production" },
  },
});
