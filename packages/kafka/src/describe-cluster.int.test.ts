import { describe, expect, it } from "vitest";
import { describeCluster } from "./describe-cluster.ts";

const eastBootstrap = `127.0.0.1:${process.env.EAST_KAFKA_PORT ?? 19092}`;

describe("describeCluster", () => {
  it("reports broker count, controller and topics of a running cluster", async () => {
    const health = await describeCluster({ alias: "east", bootstrapServers: eastBootstrap });
    expect(health.error).toBeNull();
    expect(health).toMatchObject({ reachable: true, brokerCount: 1, controllerId: 1 });
    expect(health.clusterId).toMatch(/.+/);
    expect(health.topicCount).toBeGreaterThanOrEqual(0);
  });

  it("says in words, within its deadline, that a closed port is unreachable", async () => {
    const started = Date.now();
    const health = await describeCluster({ alias: "nowhere", bootstrapServers: "127.0.0.1:1" }, 3_000);
    expect(Date.now() - started).toBeLessThan(4_500);
    expect(health.reachable).toBe(false);
    expect(health.error?.code).toBe("CLUSTER_UNREACHABLE");
    expect(health.error?.message).toContain("nowhere");
  });
});
