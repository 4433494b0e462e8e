export { AppError, type ErrorCode } from "./app-error.ts";
export * from "./cluster.ts";
export * from "./flow.ts";
export * from "./flow-live-summary.ts";
export * from "./flow-status.ts";
export * from "./metrics.ts";
export * from "./queues.ts";
