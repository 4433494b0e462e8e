import { type APIRequestContext, expect } from "@playwright/test";
import { Kafka, logLevel } from "kafkajs";
import { eastBootstrap, westBootstrap } from "../e2e-env.ts";
import { admin } from "./api.ts";

/**
 * What the failover specs start from: a topic on east, two clusters over the local brokers and a
 * flow between them with quick checkpoint rounds and position commits (no minute-long waits).
 * Returns the flow's id; the flow is not started.
 */
export async function createFailoverFlow(
  request: APIRequestContext,
  names: { source: string; target: string; topic: string; partitions: number },
): Promise<string> {
  const kafka = new Kafka({ brokers: [eastBootstrap], logLevel: logLevel.NOTHING }).admin();
  await kafka.connect();
  try {
    await kafka.createTopics({
      topics: [{ topic: names.topic, numPartitions: names.partitions, replicationFactor: 1 }],
      waitForLeaders: true,
    });
  } finally {
    await kafka.disconnect();
  }
  for (const [alias, bootstrapServers] of [
    [names.source, eastBootstrap],
    [names.target, westBootstrap],
  ] as const) {
    const created = await request.post("/api/v1/clusters", {
      headers: admin,
      data: { alias, bootstrapServers },
    });
    expect(created.status(), await created.text()).toBe(201);
  }
  const flow = await request.post("/api/v1/flows", {
    headers: admin,
    data: {
      sourceAlias: names.source,
      targetAlias: names.target,
      topicsInclude: names.topic,
      replicationFactor: 1,
      settings: { emitCheckpointsIntervalSeconds: 1, refreshGroupsIntervalSeconds: 1, commitIntervalMs: 500 },
    },
  });
  expect(flow.status(), await flow.text()).toBe(201);
  return ((await flow.json()) as { id: string }).id;
}
