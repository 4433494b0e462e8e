import { z } from "zod";

/**
 * Failover of one flow (source→target): what the readiness panel shows, what a dry-run plans,
 * and the run the workers execute step by step. Shared by the API, the workers and the UI.
 */

export const failoverModeSchema = z.enum(["planned", "unplanned"]);
export type FailoverMode = z.infer<typeof failoverModeSchema>;

/** `POST /flows/{id}/failover`: a dry-run unless `dryRun` is false. */
export const failoverRequestSchema = z
  .object({
    mode: failoverModeSchema.default("planned"),
    dryRun: z.boolean().default(true),
    /** Source log-end offsets must stand still this long before producers count as stopped. */
    quietPeriodSeconds: z.number().int().min(1).max(600).default(10),
    /** Create (or resume) the reverse flow target→source from the current end, for failback. */
    createReverseFlow: z.boolean().default(true),
    /** What to do with records that reached this flow's target but never its source (failback). */
    divergentRecords: z.enum(["skip", "include"]).default("skip"),
  })
  .strict();
export type FailoverRequest = z.infer<typeof failoverRequestSchema>;
export type FailoverOptions = Omit<FailoverRequest, "dryRun">;

export const failoverStepIdSchema = z.enum([
  "plan",
  "stop-producers",
  "stop-consumers",
  "drain",
  "assess-loss",
  "handover",
  "pause-flow",
  "reverse-flow",
  "activate-target",
]);
export type FailoverStepId = z.infer<typeof failoverStepIdSchema>;

export const failoverStepStateSchema = z.enum(["pending", "running", "waiting", "done", "skipped", "failed"]);
export type FailoverStepState = z.infer<typeof failoverStepStateSchema>;

export interface FailoverStep {
  id: FailoverStepId;
  title: string;
  /** What the step does, in words (the dry-run's plan). */
  description: string;
  state: FailoverStepState;
  startedAt: string | null;
  endedAt: string | null;
  /** While waiting: what for, in words an operator can act on. */
  waitingFor: string | null;
  /** What the step found or did. */
  outcome: string | null;
  error: string | null;
  /** Step-private progress (e.g. the offsets seen so far), so another worker can resume it. */
  memo?: Record<string, unknown>;
  /** Steps from this one on cannot be cancelled. */
  pointOfNoReturn?: boolean;
}

/** One source partition as a failover sees it. */
export interface PartitionReadiness {
  topic: string;
  partition: number;
  remoteTopic: string;
  /** Source log-end offset: live, or the last one a worker saw when the source is unreachable. */
  sourceEnd: number | null;
  sourceEndAt: string | null;
  /** True when `sourceEnd` was read just now (false: last known). */
  sourceEndLive: boolean;
  /** Next source offset to copy (records below it are on the target). */
  replicatedUpTo: number | null;
  lagRecords: number | null;
  /** Age of the newest record not yet copied, in seconds, as far as known. */
  lagSeconds: number | null;
  /** Source timestamp of the newest record copied. */
  lastCopiedTimestamp: string | null;
  targetEnd: number | null;
}

export interface GroupPartitionHandover {
  topic: string;
  partition: number;
  remoteTopic: string;
  /** The group's committed offset on the source (last known when the source is gone). */
  sourceOffset: number | null;
  /** The offset the group gets on the target's remote topic; null when it cannot be translated. */
  targetOffset: number | null;
  /** Records the group may see twice at most (translation precision). */
  maxDuplicates: number | null;
  note: string | null;
}

export interface GroupReadiness {
  group: string;
  sourceState: "absent" | "empty" | "active" | "unknown";
  sourceMembers: number;
  targetState: "absent" | "empty" | "active" | "unknown";
  targetMembers: number;
  /** When its latest checkpoint was written (leader's last round), if known. */
  checkpointAt: string | null;
  checkpointAgeSeconds: number | null;
  partitions: GroupPartitionHandover[];
}

export interface TopicReadiness {
  topic: string;
  remoteTopic: string;
  sourcePartitions: number | null;
  targetPartitions: number | null;
  /** Config keys whose value differs between the source topic and its remote topic. */
  configDrift: { key: string; source: string | null; target: string | null }[];
}

export interface ReadinessReason {
  /** "block": no-go; "warn": go, but read this. */
  level: "block" | "warn";
  code: string;
  message: string;
}

export interface FailoverReadiness {
  flowId: string;
  at: string;
  sourceAlias: string;
  targetAlias: string;
  /** Which side applications use now. */
  activeAlias: string;
  sourceReachable: boolean;
  sourceError: string | null;
  targetReachable: boolean;
  targetError: string | null;
  /** Overall verdict for a planned failover now; `unplannedGo` when the source is gone. */
  go: boolean;
  unplannedGo: boolean;
  reasons: ReadinessReason[];
  heartbeatAgeSeconds: number | null;
  totals: { partitions: number; lagRecords: number; maxLagSeconds: number | null };
  partitions: PartitionReadiness[];
  groups: GroupReadiness[];
  topics: TopicReadiness[];
  runningFailover: { id: string; mode: FailoverMode } | null;
}

export interface DivergentRange {
  topic: string;
  partition: number;
  /** Offsets [fromOffset, toOffset) on the side that was lost, never copied across. */
  fromOffset: number;
  toOffset: number;
  records: number;
}

export interface ExpectedLoss {
  records: number;
  seconds: number | null;
  /** Where it comes from: live source offsets, or the last ones a worker saw. */
  basis: "none" | "live" | "last-known";
  partitions: { topic: string; partition: number; records: number; seconds: number | null }[];
}

export interface ClientChanges {
  bootstrapServers: { from: string; to: string };
  topics: { from: string; to: string }[];
  /** Per group: a consumer config snippet for the target. */
  groups: { group: string; snippet: string }[];
}

export interface FailoverPlan {
  flowId: string;
  mode: FailoverMode;
  at: string;
  options: FailoverOptions;
  steps: FailoverStep[];
  readiness: FailoverReadiness;
  /** What this run is expected to lose (planned: nothing, it drains first). */
  expectedLoss: ExpectedLoss;
  /** What would be lost if the source disappeared this moment. */
  lossIfSourceLostNow: ExpectedLoss;
  clientChanges: ClientChanges;
  /** Records of an earlier unplanned failover in the other direction that never crossed. */
  divergent: DivergentRange[];
  /** The run would be refused now, and why. */
  refusal: { code: string; message: string } | null;
}

export interface FailoverReport {
  /** Start → target ready (handover done, target marked active), seconds. */
  rtoSeconds: number | null;
  /** Of which waiting for the operator (producers and consumers to stop). */
  operatorWaitSeconds: number | null;
  rpoRecords: number | null;
  rpoSeconds: number | null;
  rpoBasis: "drained" | "estimated" | "measured" | null;
  estimatedLoss: ExpectedLoss | null;
  /** After an unplanned failover, once the old source is reachable again. */
  actualLoss: (ExpectedLoss & { measuredAt: string; divergent: DivergentRange[] }) | null;
  handedOver: { group: string; partitions: GroupPartitionHandover[] }[];
  reverseFlow: { id: string; name: string; created: boolean } | null;
  activeAlias: string | null;
}

export const failoverRunStateSchema = z.enum(["RUNNING", "SUCCEEDED", "FAILED", "CANCELLED"]);
export type FailoverRunState = z.infer<typeof failoverRunStateSchema>;

export interface FailoverRunView {
  id: string;
  flowId: string;
  mode: FailoverMode;
  state: FailoverRunState;
  options: FailoverOptions;
  steps: FailoverStep[];
  report: Partial<FailoverReport>;
  cancelRequested: boolean;
  requestedBy: string;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
  /** True while a cancel would still be honoured. */
  cancellable: boolean;
}

/** Payload of a failover step job: the run and the step to (re)try. */
export const failoverStepJobSchema = z.object({
  runId: z.string().uuid(),
  /** "measure-loss": after an unplanned run, waits for the old source to measure the real loss. */
  step: z.union([failoverStepIdSchema, z.literal("measure-loss")]),
});
export type FailoverStepJob = z.infer<typeof failoverStepJobSchema>;
