import { TOPIC_DRIFT_LISTED, type TopicDrift } from "@mirrordeck/contracts";
import type { TopicSyncOutcome } from "./target-topic-sync.ts";

/** Why a sync outcome leaves the remote topic out of step with its source, or null if it does not. */
export function driftOf(outcome: TopicSyncOutcome): string | null {
  // A source topic that is gone is the source's change, not the target's drift.
  if (outcome.error && outcome.error.code !== "SOURCE_TOPIC_MISSING") return outcome.error.message;
  if (outcome.configError) return `configs not synced: ${outcome.configError.message}`;
  if (outcome.configDrift && outcome.configDrift.length > 0) {
    return `${outcome.configDrift.join(", ")} differ from the source (config sync is off)`;
  }
  return null;
}

/**
 * The flow's remote topics that its topic syncs found out of step with the source: what the
 * TOPIC_DRIFT alert counts. Each sync updates the topics it looked at.
 */
export class TopicDriftTracker {
  private readonly drifting = new Map<string, TopicDrift>();

  /** Takes a sync's outcomes; returns the topics that started to drift with it. */
  record(outcomes: readonly TopicSyncOutcome[]): TopicDrift[] {
    const started: TopicDrift[] = [];
    for (const outcome of outcomes) {
      const reason = driftOf(outcome);
      if (reason === null) {
        this.drifting.delete(outcome.topic);
        continue;
      }
      const drift = { topic: outcome.topic, remoteTopic: outcome.remoteTopic, reason };
      if (!this.drifting.has(outcome.topic)) started.push(drift);
      this.drifting.set(outcome.topic, drift);
    }
    return started;
  }

  /** Forgets topics the flow no longer selects. */
  keepOnly(selected: readonly string[]): void {
    const keep = new Set(selected);
    for (const topic of this.drifting.keys()) if (!keep.has(topic)) this.drifting.delete(topic);
  }

  /** The count, and the first few by name (a snapshot stays small with a thousand topics). */
  summary(): { count: number; topics: TopicDrift[] } {
    const topics = [...this.drifting.values()]
      .sort((a, b) => a.topic.localeCompare(b.topic))
      .slice(0, TOPIC_DRIFT_LISTED);
    return { count: this.drifting.size, topics };
  }
}
