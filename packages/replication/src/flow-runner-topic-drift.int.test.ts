import type { FlowMetricsSnapshot } from "@mirrordeck/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PgPositionStore } from "../../../packages/db/src/index.ts";
import { escapeRegex, testFlowSpec } from "../../../scripts/test-support/engine-spec.ts";
import {
  createFlowRow,
  type FlowFixture,
  migratedDatabaseWithClusters,
} from "../../../scripts/test-support/flow-fixtures.ts";
import {
  createTopic,
  deleteTopics,
  eastBootstrap,
  produceKeyed,
  topicEndOffsets,
  uniqueName,
  waitFor,
  westBootstrap,
} from "../../../scripts/test-support/kafka-records.ts";
import type { FlowRunnerEvent } from "./flow-events.ts";
import { FlowRunner } from "./flow-runner.ts";
import { createKafkajsClusterAdmin } from "./kafkajs/kafkajs-cluster-admin.ts";

// With config sync off, a remote topic whose configs an operator changed on the target stays
// changed: the flow reports it as drift (what the TOPIC_DRIFT alert counts) until it is back in
// step. With config sync on, the flow puts it back instead, and nothing drifts.

let fixture: FlowFixture;
const toDelete: [string, string][] = [];
const westAdmin = createKafkajsClusterAdmin({ alias: "west", bootstrapServers: westBootstrap });

beforeAll(async () => {
  fixture = await migratedDatabaseWithClusters();
});
afterAll(async () => {
  for (const [bootstrap, topic] of toDelete) await deleteTopics(bootstrap, [topic]);
  await westAdmin.close();
  await fixture.cleanup();
});

async function runFlow(syncTopicConfigs: boolean) {
  const topic = uniqueName("drift");
  toDelete.push([eastBootstrap, topic], [westBootstrap, `east.${topic}`]);
  await createTopic(eastBootstrap, topic, 1, { "retention.ms": "3600000" });
  await produceKeyed(eastBootstrap, topic, 20);
  const flowId = await createFlowRow(fixture, {
    name: uniqueName("flow"),
    topicsInclude: escapeRegex(topic),
  });
  const events: FlowRunnerEvent[] = [];
  let latest: FlowMetricsSnapshot | null = null;
  const runner = new FlowRunner(
    testFlowSpec(flowId, escapeRegex(topic), { syncTopicConfigs, syncTopicConfigsIntervalMs: 1_000 }),
    {
      positions: new PgPositionStore(fixture.db),
      owner: "drift-worker",
      onEvent: (e) => events.push(e),
      onMetrics: (snapshot) => {
        latest = snapshot;
      },
    },
  );
  await runner.start();
  await waitFor(
    async () => (await topicEndOffsets(westBootstrap, `east.${topic}`).catch(() => [0]))[0] === 20,
    60_000,
    "the records on west",
  );
  const drift = () => (latest as FlowMetricsSnapshot | null)?.topicDrift;
  const retention = async () =>
    (await westAdmin.describeTopicConfigs([`east.${topic}`]))
      .get(`east.${topic}`)
      ?.find((e) => e.name === "retention.ms")?.value;
  return { topic, runner, events, drift, retention };
}

describe("target topic drift", () => {
  it("with config sync off, a config changed on the target is reported until it is back in step", async () => {
    const { topic, runner, events, drift, retention } = await runFlow(false);
    try {
      await waitFor(async () => drift() !== undefined, 10_000, "a metrics snapshot");
      expect(drift()).toEqual({ count: 0, topics: [] });

      await westAdmin.replaceTopicConfigs(`east.${topic}`, { "retention.ms": "7200000" });
      await waitFor(async () => drift()?.count === 1, 15_000, "the drift reported");
      expect(drift()!.topics).toEqual([
        {
          topic,
          remoteTopic: `east.${topic}`,
          reason: "retention.ms differ from the source (config sync is off)",
        },
      ]);
      expect(events.filter((e) => e.kind === "topic.drift").map((e) => e.message)).toEqual([
        `east.${topic} is out of step with ${topic}: retention.ms differ from the source (config sync is off)`,
      ]);
      expect(await retention()).toBe("7200000"); // reported, not written

      await westAdmin.replaceTopicConfigs(`east.${topic}`, { "retention.ms": "3600000" });
      await waitFor(async () => drift()?.count === 0, 15_000, "the drift gone");
    } finally {
      await runner.stop();
    }
  });

  it("with config sync on, the flow puts the config back and reports no drift", async () => {
    const { topic, runner, events, drift, retention } = await runFlow(true);
    try {
      await westAdmin.replaceTopicConfigs(`east.${topic}`, { "retention.ms": "7200000" });
      await waitFor(async () => (await retention()) === "3600000", 15_000, "the config synced back");
      await waitFor(async () => drift() !== undefined, 10_000, "a metrics snapshot");
      expect(drift()!.count).toBe(0);
      expect(events.filter((e) => e.kind === "topic.drift")).toEqual([]);
      expect(events.some((e) => e.kind === "topic.configs-synced")).toBe(true);
    } finally {
      await runner.stop();
    }
  });
});
