export { describeCluster } from "./describe-cluster.ts";
export { type ClusterConnection, createKafka } from "./kafka-connection.ts";
