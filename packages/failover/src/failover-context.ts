import type { FlowLeaderStatus } from "@mirrordeck/contracts";
import type { Database, FlowWithConnections } from "@mirrordeck/db";
import type { ReplicationPolicy } from "@mirrordeck/mm2";
import {
  type ClusterAdmin,
  createKafkajsClusterAdmin,
  type FlowSpec,
  flowReplicationPolicy,
} from "@mirrordeck/replication";
import type { SecretBox } from "@mirrordeck/security";
import { flowSpecFromRow } from "./flow-spec-from-row.ts";

/** Everything a readiness check or a failover step needs about one flow. */
export interface FailoverContext {
  db: Database;
  flow: FlowWithConnections;
  spec: FlowSpec;
  policy: ReplicationPolicy;
  sourceAdmin: ClusterAdmin;
  targetAdmin: ClusterAdmin;
  /** The flow leader's latest published status (checkpoints, heartbeats), if any. */
  leaderStatus: () => Promise<FlowLeaderStatus | null>;
  now: () => number;
  close: () => Promise<void>;
}

export interface FailoverContextOptions {
  secrets: () => SecretBox;
  leaderStatus: (flowId: string) => Promise<FlowLeaderStatus | null>;
  /** Per admin request; short, so an unreachable source is reported quickly. */
  adminTimeoutMs?: number;
}

/** Admin clients that give up fast: a failover must not hang on a dead cluster. */
export function openFailoverContext(
  db: Database,
  flow: FlowWithConnections,
  options: FailoverContextOptions,
): FailoverContext {
  const spec = flowSpecFromRow(flow, options.secrets);
  const timeout = options.adminTimeoutMs ?? 5_000;
  const adminOf = (cluster: FlowSpec["source"]) =>
    createKafkajsClusterAdmin(cluster, {
      operationTimeoutMs: timeout,
      retry: { retries: 1, initialRetryTime: 200, maxRetryTime: timeout },
    });
  const sourceAdmin = adminOf(spec.source);
  const targetAdmin = adminOf(spec.target);
  return {
    db,
    flow,
    spec,
    policy: flowReplicationPolicy(spec),
    sourceAdmin,
    targetAdmin,
    leaderStatus: () => options.leaderStatus(flow.id),
    now: () => Date.now(),
    close: async () => {
      await Promise.all([sourceAdmin.close().catch(() => {}), targetAdmin.close().catch(() => {})]);
    },
  };
}
