import { mkdirSync } from "node:fs";
import path from "node:path";
import { defineConfig } from "@playwright/test";
import { CHROMIUM, CHROMIUM_FLAGS } from "../scripts/test-support/ensure-chromium.ts";
import {
  e2eAdmin,
  e2eBaseUrl,
  e2eBootstrapToken,
  e2eDatabaseUrl,
  e2eMetricsToken,
  e2ePort,
  e2eQueuePrefix,
  e2eSecretKey,
  e2eWebLog,
} from "./e2e-env.ts";

const repoRoot = path.resolve(import.meta.dirname, "..");
mkdirSync(path.dirname(e2eWebLog), { recursive: true });

export default defineConfig({
  testDir: "./tests",
  // Runs on other ports (parallel local runs) keep their own results.
  outputDir: e2ePort === 3100 ? "./test-results" : `./test-results-${e2ePort}`,
  globalSetup: "./global-setup.ts",
  timeout: 60_000,
  workers: 1,
  retries: 0,
  reporter: [
    ["list"],
    ["json", { outputFile: e2ePort === 3100 ? "report/results.json" : `report-${e2ePort}/results.json` }],
  ],
  use: {
    baseURL: e2eBaseUrl,
    viewport: { width: 1280, height: 800 },
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
    launchOptions: {
      // Debian's Chromium: never a downloaded browser. Background networking off: the machine is offline.
      executablePath: CHROMIUM,
      args: CHROMIUM_FLAGS,
    },
  },
  webServer: {
    // The production build made by `npm run build` (npm test builds first).
    // Its output also goes to a file, which the secrets test reads.
    command: `npx next start apps/web -H 127.0.0.1 -p ${e2ePort} 2>&1 | tee ${e2eWebLog}`,
    cwd: repoRoot,
    url: `${e2eBaseUrl}/api/v1/health`,
    reuseExistingServer: false,
    timeout: 60_000,
    env: {
      DATABASE_URL: e2eDatabaseUrl,
      NODE_ENV: "production",
      MIRRORDECK_ADMIN_EMAIL: e2eAdmin.email,
      MIRRORDECK_ADMIN_PASSWORD: e2eAdmin.password,
      MIRRORDECK_SECRET_KEY: e2eSecretKey,
      MIRRORDECK_BOOTSTRAP_TOKEN: e2eBootstrapToken,
      MIRRORDECK_METRICS_TOKEN: e2eMetricsToken,
      MIRRORDECK_QUEUE_PREFIX: e2eQueuePrefix,
      // The rate-limit test names its own client addresses.
      MIRRORDECK_TRUST_PROXY: "true",
    },
  },
});
