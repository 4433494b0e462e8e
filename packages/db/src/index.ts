export * from "./auth/accounts.ts";
export * from "./auth/audit-log.ts";
export { createDatabase, type Database } from "./client.ts";
export * from "./metrics/metrics-history.ts";
export * from "./positions/pg-position-store.ts";
export * from "./repositories/cluster-repository.ts";
export * from "./repositories/flow-repository.ts";
export * from "./repositories/flow-runtime-repository.ts";
