import type { AlertKind, FlowLeaderStatus, FlowLiveSummary, FlowState } from "@mirrordeck/contracts";
import { breaches, type Observed, type RuleSettings } from "./evaluate-rule.ts";

/** What the workers know about a flow at one moment. */
export interface FlowObservation {
  state: FlowState;
  enabled: boolean;
  /** Summed over every worker's latest snapshot; null when none reported. */
  live: FlowLiveSummary | null;
  /** The flow leader's latest status; null when no leader published one. */
  leader: FlowLeaderStatus | null;
  now: number;
}

/** The value a rule of `kind` compares, or null when it is not known now. */
export function observedValue(kind: AlertKind, flow: FlowObservation): number | null {
  switch (kind) {
    case "LAG_RECORDS":
      return flow.live?.lagRecords ?? null;
    case "LAG_SECONDS":
      return flow.live?.maxLagSeconds ?? null;
    case "HEARTBEAT_AGE": {
      const heartbeats = flow.leader?.heartbeats;
      if (!heartbeats?.enabled) return null;
      // Never seen: as old as the watch is (the flow has not proved its data plane yet).
      const newest = heartbeats.lastReplicatedTimestamp ?? heartbeats.watchingSince;
      return newest === null ? null : Math.max(0, (flow.now - newest) / 1000);
    }
    case "CHECKPOINT_STALE": {
      const checkpoints = flow.leader?.checkpoints;
      if (!checkpoints?.enabled || checkpoints.lastRunAt === null) return null;
      return Math.max(0, (flow.now - Date.parse(checkpoints.lastRunAt)) / 1000);
    }
    case "TOPIC_DRIFT":
      return flow.live?.topicsDrifting ?? null;
    case "FLOW_ERROR":
      return null;
  }
}

const COPYING = new Set<FlowState>(["STARTING", "RUNNING", "CATCHING_UP", "ERROR"]);

/** The rule's input now; a paused flow breaches nothing (it is not supposed to copy). */
export function observe(rule: RuleSettings, flow: FlowObservation): Observed {
  if (rule.kind === "FLOW_ERROR") return { value: null, breached: flow.state === "ERROR" };
  if (!flow.enabled || !COPYING.has(flow.state)) return { value: null, breached: false };
  const value = observedValue(rule.kind, flow);
  return value === null ? null : { value, breached: breaches(rule, value) };
}
