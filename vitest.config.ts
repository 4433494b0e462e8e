import { defineConfig } from "vitest/config";
import { BrokerOutageLastSequencer } from "./scripts/test-support/broker-outage-last-sequencer.ts";

// Two projects: fast pure unit tests, and integration tests against the real local stack
// (Kafka brokers, Postgres, Redis) started by `npm run stack:up`.
export default defineConfig({
  test: {
    // Global only: vitest ignores a sequencer set inside a project.
    sequence: { sequencer: BrokerOutageLastSequencer },
    projects: [
      {
        test: {
          name: "unit",
          include: [
            "{packages,apps,scripts}/**/src/**/*.test.ts",
            "scripts/**/*.test.ts",
            "apps/web/lib/**/*.test.ts",
            "apps/web/components/**/*.test.ts",
          ],
          exclude: ["**/*.int.test.ts", "**/node_modules/**"],
        },
      },
      {
        test: {
          name: "integration",
          include: ["{packages,apps,scripts}/**/*.int.test.ts"],
          exclude: ["**/node_modules/**"],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // Integration tests share two single-node brokers: run files one at a time.
          fileParallelism: false,
          globalSetup: ["scripts/test-support/integration-setup.ts"],
        },
      },
      {
        test: {
          // Breaks the running system on purpose (the README's Guarantees section says what it
          // proves): the short profile in `npm test`, the full one with `npm run test:chaos`.
          name: "chaos",
          include: ["chaos/**/*.chaos.test.ts"],
          exclude: ["**/node_modules/**"],
          testTimeout: 420_000,
          hookTimeout: 180_000,
          fileParallelism: false,
          globalSetup: ["chaos/harness/chaos-setup.ts"],
        },
      },
    ],
  },
});
