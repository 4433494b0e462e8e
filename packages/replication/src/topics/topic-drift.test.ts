import { describe, expect, it } from "vitest";
import type { TopicSyncOutcome } from "./target-topic-sync.ts";
import { TopicDriftTracker } from "./topic-drift.ts";

const outcome = (topic: string, extra: Partial<TopicSyncOutcome> = {}): TopicSyncOutcome => ({
  topic,
  remoteTopic: `east.${topic}`,
  created: false,
  configsUpdated: [],
  targetPartitions: 1,
  ...extra,
});

describe("TopicDriftTracker", () => {
  it("counts remote topics a sync could not put in step, and forgets them once in step or unselected", () => {
    const tracker = new TopicDriftTracker();
    const started = tracker.record([
      outcome("a", { configDrift: ["retention.ms"] }),
      outcome("b", { error: { code: "TARGET_TOPIC_TOO_SMALL", message: "too small" } }),
      outcome("c", { configError: { code: "INVALID_CONFIG", message: "refused" } }),
      outcome("d", { error: { code: "SOURCE_TOPIC_MISSING", message: "gone from the source" } }),
      outcome("e"),
    ]);
    expect(started.map((d) => [d.topic, d.reason])).toEqual([
      ["a", "retention.ms differ from the source (config sync is off)"],
      ["b", "too small"],
      ["c", "configs not synced: refused"],
    ]);
    expect(tracker.summary().count).toBe(3);

    // Seen again: not new. Fixed: gone.
    expect(tracker.record([outcome("a", { configDrift: ["retention.ms"] }), outcome("b")])).toEqual([]);
    tracker.keepOnly(["a", "b"]);
    expect(tracker.summary()).toEqual({
      count: 1,
      topics: [{ topic: "a", remoteTopic: "east.a", reason: expect.any(String) }],
    });
  });

  it("names at most 20 topics however many drift", () => {
    const tracker = new TopicDriftTracker();
    tracker.record(Array.from({ length: 30 }, (_, i) => outcome(`t${i}`, { configDrift: ["x"] })));
    expect(tracker.summary().count).toBe(30);
    expect(tracker.summary().topics).toHaveLength(20);
  });
});
