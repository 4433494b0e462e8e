import { describe, expect, it } from "vitest";
import { DefaultConfigPropertyFilter } from "./config-property-filter.ts";

describe("DefaultConfigPropertyFilter", () => {
  it("copies topic configs except MM2's default exclusions", () => {
    const filter = new DefaultConfigPropertyFilter();
    for (const property of ["retention.ms", "cleanup.policy", "min.compaction.lag.ms"]) {
      expect(filter.shouldReplicateConfigProperty(property)).toBe(true);
    }
    for (const property of [
      "follower.replication.throttled.replicas",
      "leader.replication.throttled.replicas",
      "message.timestamp.difference.max.ms",
      "message.timestamp.type",
      "unclean.leader.election.enable",
      "min.insync.replicas",
    ]) {
      expect(filter.shouldReplicateConfigProperty(property)).toBe(false);
    }
  });

  it("matches escaped dots literally", () => {
    expect(new DefaultConfigPropertyFilter().shouldReplicateConfigProperty("minXinsyncXreplicas")).toBe(true);
  });

  it("uses the configured exclusions instead of the defaults", () => {
    const filter = new DefaultConfigPropertyFilter({ configPropertiesExclude: "retention\\..*" });
    expect(filter.shouldReplicateConfigProperty("retention.ms")).toBe(false);
    expect(filter.shouldReplicateConfigProperty("min.insync.replicas")).toBe(true);
  });
});
