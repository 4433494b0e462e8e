// Public API of the local stack, for the CLI, the test runner, the demo and vitest's globalSetup.
export type { ClusterSelection, KafkaClusterStatus, StopClustersOptions } from "./kafka-clusters.ts";
export type { Reporter } from "./progress.ts";
export {
  formatStackStatus,
  getStackStatus,
  type StackCommandOptions,
  type StackStatus,
  stackDown,
  stackStatus,
  stackUp,
  startClusters,
  stopCluster,
} from "./stack.ts";
export {
  type ClusterAlias,
  type ClusterSpec,
  DEFAULT_KAFKA_VERSION,
  loadStackConfig,
  type StackConfig,
  TEST_DATABASE_NAME,
} from "./stack-config.ts";
export { StackError } from "./stack-error.ts";
