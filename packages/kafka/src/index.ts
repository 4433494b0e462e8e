export * from "./broker-api-versions.ts";
export * from "./cluster-inventory.ts";
export { describeCluster, unreachableHealth } from "./describe-cluster.ts";
export { type ClusterConnection, type ClusterSecurity, createKafka } from "./kafka-connection.ts";
