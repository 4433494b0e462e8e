export { createDatabase, type Database } from "./client.ts";
export * from "./repositories/cluster-repository.ts";
export * from "./repositories/flow-repository.ts";
