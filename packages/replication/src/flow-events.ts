/** What a running flow reports to the control plane (stored as FlowEvents, shown in the UI). */
export type FlowRunnerEventKind =
  | "flow.started"
  | "flow.stopped"
  | "flow.state"
  | "topics.selected"
  | "topic.created"
  | "topic.recreated"
  | "topic.partitions-added"
  | "topic.configs-synced"
  | "topic.error"
  | "topic.drift"
  | "partition.retention-gap"
  | "partition.source-reset"
  | "partition.fenced"
  | "group.offsets-synced"
  | "group.sync-skipped"
  | "acls.synced"
  | "acls.sync-failed"
  | "leader.error";

export interface FlowRunnerEvent {
  kind: FlowRunnerEventKind;
  message: string;
  details?: Record<string, unknown>;
}

/** A flow's health as the runner sees it. */
export type FlowHealth = "STARTING" | "RUNNING" | "CATCHING_UP" | "ERROR";
