import type { FailoverReadiness, ReadinessReason } from "@mirrordeck/contracts";

export interface ReadinessSettings {
  flowEnabled: boolean;
  /** Null when the flow emits no heartbeats / checkpoints. */
  heartbeatIntervalSeconds: number | null;
  checkpointIntervalSeconds: number | null;
}

/** Heartbeats older than this many intervals mean replication is not keeping up (or stopped). */
const HEARTBEAT_STALE_INTERVALS = 5;
/**
 * Lag younger than this is the copy loop's normal stride (positions are written every 0.5–1 s):
 * shown in the numbers, not worth a warning.
 */
const LAG_WARN_SECONDS = 5;
/** A checkpoint older than this many intervals is stale. */
const CHECKPOINT_STALE_INTERVALS = 2;

/**
 * The go / no-go verdict and its reasons, in words an operator can act on. "block" reasons stop
 * a planned failover; an unplanned one only needs the target (its groups idle, its topics there).
 */
export function readinessReasons(
  r: Omit<FailoverReadiness, "go" | "unplannedGo" | "reasons">,
  settings: ReadinessSettings,
): Pick<FailoverReadiness, "go" | "unplannedGo" | "reasons"> {
  const reasons: ReadinessReason[] = [];
  /** Codes that also stop an unplanned failover. */
  const unplannedBlocks = new Set<string>();
  const block = (code: string, message: string, unplannedToo: boolean) => {
    reasons.push({ level: "block", code, message });
    if (unplannedToo) unplannedBlocks.add(code);
  };
  const warn = (code: string, message: string) => reasons.push({ level: "warn", code, message });

  if (r.runningFailover !== null) {
    block("FAILOVER_RUNNING", "A failover of this flow is already running.", true);
  }
  if (r.activeAlias === r.targetAlias) {
    block(
      "ALREADY_FAILED_OVER",
      `${r.targetAlias} is already the active side; fail back with the reverse flow (${r.targetAlias}→${r.sourceAlias}).`,
      true,
    );
  }
  if (!r.targetReachable) {
    block("TARGET_UNREACHABLE", `${r.targetAlias} cannot be reached: ${r.targetError}`, true);
  }
  if (!r.sourceReachable) {
    block(
      "SOURCE_UNREACHABLE",
      `${r.sourceAlias} cannot be reached (${r.sourceError}). Only an unplanned failover is possible; it uses the last checkpoints.`,
      false,
    );
  }
  for (const t of r.topics) {
    if (r.targetReachable && t.targetPartitions === null) {
      block("TARGET_TOPIC_MISSING", `${t.remoteTopic} does not exist on ${r.targetAlias}.`, true);
    } else if (
      t.sourcePartitions !== null &&
      t.targetPartitions !== null &&
      t.targetPartitions < t.sourcePartitions
    ) {
      block(
        "TARGET_TOPIC_TOO_SMALL",
        `${t.remoteTopic} has ${t.targetPartitions} partition(s) on ${r.targetAlias}, ${t.topic} has ${t.sourcePartitions}.`,
        true,
      );
    }
    if (t.configDrift.length > 0) {
      warn(
        "CONFIG_DRIFT",
        `${t.remoteTopic} differs from ${t.topic} in ${t.configDrift.map((d) => d.key).join(", ")}.`,
      );
    }
  }
  for (const g of r.groups) {
    if (g.targetState === "active") {
      block(
        "TARGET_GROUP_ACTIVE",
        `Group ${g.group} has ${g.targetMembers || "some"} member(s) on ${r.targetAlias}: stop them first, their offsets cannot be handed over while they run.`,
        true,
      );
    }
    if (g.sourceState === "active") {
      warn(
        "SOURCE_GROUP_ACTIVE",
        `Group ${g.group} is consuming on ${r.sourceAlias}; the failover asks you to stop it.`,
      );
    }
    if (settings.checkpointIntervalSeconds !== null) {
      const stale =
        g.checkpointAgeSeconds === null ||
        g.checkpointAgeSeconds > CHECKPOINT_STALE_INTERVALS * settings.checkpointIntervalSeconds + 5;
      if (stale) {
        warn(
          "CHECKPOINT_STALE",
          g.checkpointAgeSeconds === null
            ? `Group ${g.group} has no checkpoint yet: an unplanned failover could not place it.`
            : `Group ${g.group}'s checkpoint is ${Math.round(g.checkpointAgeSeconds)} s old.`,
        );
      }
    }
  }
  const lagMatters = r.totals.maxLagSeconds === null || r.totals.maxLagSeconds > LAG_WARN_SECONDS;
  if (r.totals.lagRecords > 0 && lagMatters) {
    warn(
      "LAG",
      `${r.totals.lagRecords} record(s) are not on ${r.targetAlias} yet: a planned failover drains them; failing over without ${r.sourceAlias} would lose them.`,
    );
  }
  if (r.totals.lagRecords > 0 && !settings.flowEnabled && r.sourceReachable) {
    block("FLOW_NOT_RUNNING", "The flow is paused, so nothing would drain the lag: resume it first.", false);
  }
  if (settings.heartbeatIntervalSeconds !== null) {
    const limit = HEARTBEAT_STALE_INTERVALS * settings.heartbeatIntervalSeconds + 10;
    if (r.heartbeatAgeSeconds === null || r.heartbeatAgeSeconds > limit) {
      warn(
        "HEARTBEAT_STALE",
        r.heartbeatAgeSeconds === null
          ? `No heartbeat of ${r.sourceAlias} has reached ${r.targetAlias} yet.`
          : `The newest heartbeat on ${r.targetAlias} is ${Math.round(r.heartbeatAgeSeconds)} s old: replication may have stopped.`,
      );
    }
  }
  return {
    go: !reasons.some((x) => x.level === "block"),
    unplannedGo: unplannedBlocks.size === 0,
    reasons,
  };
}
