// Where the e2e suite runs its own web server and database, apart from the demo's.
export const e2ePort = Number(process.env.E2E_PORT ?? 3100);
export const e2eBaseUrl = `http://127.0.0.1:${e2ePort}`;
export const e2eDatabaseUrl =
  process.env.E2E_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/mirrordeck_e2e";
export const eastBootstrap = `127.0.0.1:${process.env.EAST_KAFKA_PORT ?? 19092}`;
export const westBootstrap = `127.0.0.1:${process.env.WEST_KAFKA_PORT ?? 29092}`;

// Credentials of the e2e web server (test-only values, never used outside this suite).
export const e2eAdmin = { email: "admin@e2e.mirrordeck.test", password: "e2e-admin-password-1" };
export const e2eSecretKey = Buffer.alloc(32, 7).toString("base64");
export const e2eBootstrapToken = "e2e-bootstrap-token-0123456789abcdef";
/** The web app's /metrics wants it (MIRRORDECK_METRICS_TOKEN). */
export const e2eMetricsToken = "e2e-metrics-token-0123456789";
/** Everything the e2e web server prints, scanned by the secrets test. */
export const e2eWebLog = new URL(`./.logs/web-${e2ePort}.log`, import.meta.url).pathname;
/** BullMQ prefix shared by this run's web server and the workers its tests start. */
export const e2eQueuePrefix = `e2e-${e2ePort}`;
