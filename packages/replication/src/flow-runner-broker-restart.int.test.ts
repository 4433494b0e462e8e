// Failure test: the TARGET cluster (west) goes away in the middle of a stream and comes back. The
// flow must say so (health ERROR naming west), recover by itself, and lose nothing: every source
// record ends up on west, in order per partition (duplicates are allowed: delivery is at-least-once).

import { randomBytes } from "node:crypto";
import type { FlowMetricsSnapshot } from "@mirrordeck/contracts";
import { Kafka, logLevel, Partitioners } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PgPositionStore } from "../../../packages/db/src/index.ts";
import { startClusters, stopCluster } from "../../../scripts/stack/index.ts";
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
  kafkaFor,
  type ReadRecord,
  readAll,
  topicEndOffsets,
  uniqueName,
  waitFor,
  westBootstrap,
} from "../../../scripts/test-support/kafka-records.ts";
import type { FlowHealth } from "./flow-events.ts";
import { FlowRunner } from "./flow-runner.ts";

const PARTITIONS = 6;
/** At least this many batches; production goes on until west has been back for a while. */
const BATCHES = 100;
const BATCH_SIZE = 100;
/** Production continues this long after west answers again, so that "flowing again" is observable. */
const PRODUCE_AFTER_BACK_MS = 3_000;
/** Safety cap on production (60 s). */
const MAX_BATCHES = 300;
/** 100 batches every 200 ms: ~20 s of continuous production. */
const BATCH_INTERVAL_MS = 200;
/** Take west down once the flow has demonstrably copied this much (mid-stream). */
const STOP_WHEN_COPIED = 1_000;
const TARGET_DOWN_MS = 8_000;

let fixture: FlowFixture;
const topicsToDelete: { bootstrap: string; topic: string }[] = [];

beforeAll(async () => {
  fixture = await migratedDatabaseWithClusters();
});
afterAll(async () => {
  // Whatever happened above, later test files need both brokers.
  await startClusters({ report: (line) => console.log(`[stack] ${line}`) });
  // KEEP_TOPICS=1 leaves the topics for inspection (e.g. dumping west's log segments).
  if (!process.env.KEEP_TOPICS) {
    for (const { bootstrap, topic } of topicsToDelete) await deleteTopics(bootstrap, [topic]);
  }
  await fixture?.cleanup();
});

const flowSpec = testFlowSpec;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** Records on west for `topic` (sum of log-end offsets), or null while west does not answer. */
async function westRecordCount(topic: string): Promise<number | null> {
  const admin = new Kafka({
    clientId: "mirrordeck-restart-probe",
    brokers: [westBootstrap],
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1_000,
    requestTimeout: 2_000,
    retry: { retries: 0 },
  }).admin();
  try {
    await admin.connect();
    return sum((await admin.fetchTopicOffsets(topic)).map((o) => Number(o.high)));
  } catch {
    return null;
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

/**
 * Both copies of every duplicated record of one west partition, with the header of the batch each
 * was written in: the same producer id with a higher sequence means the engine sent the records
 * again (its position went back); a new producer id means a new producer re-sent them.
 */
async function describeDuplicates(topic: string, partition: number): Promise<string[]> {
  const [end] = (await topicEndOffsets(westBootstrap, topic)).slice(partition, partition + 1);
  const consumer = kafkaFor(westBootstrap).consumer({ groupId: uniqueName("dups"), maxWaitTimeInMs: 200 });
  type Copy = {
    offset: number;
    producerId: string;
    epoch: number;
    firstSequence: number;
    batchStart: string;
  };
  const copies = new Map<string, Copy[]>();
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    let seen = 0;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 20_000);
      void consumer.run({
        eachBatch: async ({ batch }) => {
          if (batch.partition !== partition) return;
          for (const m of batch.messages) {
            const ctx = (m as typeof m & { batchContext?: Record<string, unknown> }).batchContext ?? {};
            const value = m.value?.toString("utf8").split(":")[0] ?? "";
            const list = copies.get(value) ?? [];
            list.push({
              offset: Number(m.offset),
              producerId: String(ctx.producerId),
              epoch: Number(ctx.producerEpoch),
              firstSequence: Number(ctx.firstSequence),
              batchStart: String(ctx.firstOffset),
            });
            copies.set(value, list);
            seen = Number(m.offset) + 1;
          }
          if (seen >= (end ?? 0)) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return [...copies]
    .filter(([, list]) => list.length > 1)
    .map(([index, list]) => `record ${index}: ${list.map((c) => JSON.stringify(c)).join(" then ")}`);
}

interface ScenarioResult {
  duplicates: number;
  /** West answering again → west's record count growing again. */
  recoveryMs: number;
  /** West answering again → health RUNNING/CATCHING_UP. */
  healthRecoveryMs: number;
  /** Stop/kill of west issued → first health ERROR naming west. */
  errorDetectedMs: number;
  /** Times the source consumer crashed (and restarted) because of the target outage. */
  consumerCrashes: number;
  /** ERROR reasons that blamed east (the healthy source) for west's outage. */
  misattributed: number;
}

/** Per partition: the target with duplicates removed (first occurrence kept) against the source. */
function compareCopies(source: ReadRecord[], target: ReadRecord[]) {
  const values = (records: ReadRecord[], p: number) =>
    records.filter((r) => r.partition === p).map((r) => r.value?.toString("utf8") ?? "");
  const partitions = [];
  for (let p = 0; p < PARTITIONS; p++) {
    const src = values(source, p);
    const raw = values(target, p);
    const seen = new Set<string>();
    const deduped = raw.filter((v) => {
      if (seen.has(v)) return false;
      seen.add(v);
      return true;
    });
    const inTarget = new Set(raw);
    const missing = src.filter((v) => !inTarget.has(v));
    let firstDivergence = -1;
    for (let i = 0; i < Math.max(src.length, deduped.length); i++) {
      if (src[i] !== deduped[i]) {
        firstDivergence = i;
        break;
      }
    }
    partitions.push({
      partition: p,
      source: src.length,
      target: raw.length,
      duplicates: raw.length - deduped.length,
      missing: missing.length,
      missingSample: missing.slice(0, 3).map((v) => v.split(":")[0]),
      firstDivergence,
    });
  }
  return partitions;
}

async function targetOutageScenario(hard: boolean): Promise<ScenarioResult> {
  const label = hard ? "hard kill" : "graceful stop";
  const t0 = Date.now();
  const at = () => Date.now() - t0;
  const say = (line: string) => console.log(`[${label} +${(at() / 1000).toFixed(1)}s] ${line}`);

  const topic = uniqueName(hard ? "outage-kill" : "outage-stop");
  const remote = `east.${topic}`;
  topicsToDelete.push({ bootstrap: eastBootstrap, topic }, { bootstrap: westBootstrap, topic: remote });
  await createTopic(eastBootstrap, topic, PARTITIONS);
  say(`flow ${topic} (east) → ${remote} (west)`);
  const flowId = await createFlowRow(fixture, {
    name: uniqueName("flow"),
    topicsInclude: escapeRegex(topic),
  });

  const healths: { at: number; health: FlowHealth; reason: string | null }[] = [];
  // With a single worker, nobody else can own a partition: any partition.fenced is a self-fence.
  const fenced: string[] = [];
  const engineLog: string[] = [];
  let lastMetrics: FlowMetricsSnapshot | null = null;
  const logAt = (level: string) => (fields: Record<string, unknown>, message: string) => {
    engineLog.push(`+${(at() / 1000).toFixed(1)}s ${level} ${message} ${JSON.stringify(fields)}`);
  };
  const runner = new FlowRunner(flowSpec(flowId, escapeRegex(topic)), {
    positions: new PgPositionStore(fixture.db),
    owner: `restart-test-${hard ? "kill" : "stop"}`,
    log: { debug: () => {}, info: logAt("INFO"), warn: logAt("WARN"), error: logAt("ERROR") },
    onHealth: (health, reason) => {
      healths.push({ at: at(), health, reason });
      say(`health ${health}${reason ? `: ${reason}` : ""}`);
    },
    onMetrics: (snapshot) => {
      // Only this test's topic (the flow also replicates east's `heartbeats`, as MM2 does).
      lastMetrics = { ...snapshot, partitions: snapshot.partitions.filter((p) => p.topic === topic) };
    },
    onEvent: (event) => {
      if (event.kind !== "partition.fenced") return;
      fenced.push(`+${(at() / 1000).toFixed(1)}s ${event.message}`);
      say(`EVENT ${event.kind}: ${event.message}`);
    },
  });

  // West's record count, sampled all along (null while it does not answer).
  const samples: { at: number; count: number | null }[] = [];
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const count = await westRecordCount(remote);
      samples.push({ at: at(), count });
      await sleep(200);
    }
  })();

  // Continuous keyed production into east, one batch per BATCH_INTERVAL_MS, records shaped like
  // produceKeyed's (key-<i % 101>, value "<i>:<random>", Java partitioner) but sent through ONE
  // idempotent producer: produceKeyed's per-call, non-idempotent producer duplicated records in the
  // source itself on this loaded machine (a retried request had in fact been appended: 10,087
  // records for 10,000), and the source must be exact to serve as the reference.
  let produced = 0;
  let producing = true;
  let produceUntil = Number.POSITIVE_INFINITY; // set once west answers again
  const producer = (async () => {
    const client = kafkaFor(eastBootstrap).producer({
      createPartitioner: Partitioners.JavaCompatiblePartitioner,
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await client.connect();
    try {
      const start = Date.now();
      for (let b = 0; producing && b < MAX_BATCHES && (b < BATCHES || at() < produceUntil); b++) {
        await client.send({
          topic,
          acks: -1,
          messages: Array.from({ length: BATCH_SIZE }, (_, j) => {
            const index = b * BATCH_SIZE + j;
            return {
              key: `key-${index % 101}`,
              value: `${index}:${randomBytes(42).toString("base64")}`,
              headers: { "x-index": String(index) },
              // Now, not produceKeyed's fixed 2023 timestamps: the brokers' 24 h retention deletes
              // such records at its next check (every 5 min), which can fall in the middle of a run.
            };
          }),
        });
        produced += BATCH_SIZE;
        await sleep(Math.max(0, start + (b + 1) * BATCH_INTERVAL_MS - Date.now()));
      }
    } finally {
      await client.disconnect();
    }
  })();

  let westDown = false;
  const stackReport = (line: string) => say(`stack: ${line}`);
  try {
    await runner.start();
    say("flow started");
    await waitFor(
      async () => ((await westRecordCount(remote)) ?? 0) >= STOP_WHEN_COPIED,
      60_000,
      `${STOP_WHEN_COPIED} records copied to west`,
    );
    expect(produced, "the producer must still be running when west goes down").toBeLessThan(
      BATCHES * BATCH_SIZE,
    );
    const copiedBeforeStop = (await westRecordCount(remote)) ?? 0;
    say(`${produced} produced, ${copiedBeforeStop} on west: ${hard ? "killing" : "stopping"} west`);

    const stopAt = at();
    westDown = true;
    await stopCluster("west", { hard, report: stackReport });
    const downAt = at();
    await sleep(TARGET_DOWN_MS);
    say(`west down for ${((at() - downAt) / 1000).toFixed(1)} s; ${produced} produced so far; starting west`);
    await startClusters({ aliases: ["west"], report: stackReport });
    westDown = false;
    const readyAt = at();

    // "Back" = the first time west answered the sampler's offsets request after the outage: the
    // broker serves clients (the engine's producer too) before the stack's readiness probe
    // (describeCluster) succeeds, by seconds on a loaded machine. "Flowing" = the first sample after
    // that with more records. Both come from the same ~200 ms sampler.
    const answered = () => samples.find((x) => x.at > downAt && x.count !== null);
    await waitFor(async () => answered() !== undefined, 30_000, `west to list ${remote} again`);
    const back = answered()!;
    const backAt = back.at;
    produceUntil = backAt + PRODUCE_AFTER_BACK_MS;
    const flowing = () => samples.find((x) => x.at > backAt && (x.count ?? 0) > back.count!);
    await waitFor(
      async () => flowing() !== undefined,
      60_000,
      "records flowing to west again after its restart",
    );
    const recoveryMs = flowing()!.at - backAt;
    say(
      `west answered again at +${(backAt / 1000).toFixed(1)}s (${back.count} records there; stack ready at ` +
        `+${(readyAt / 1000).toFixed(1)}s); records flowing ${(recoveryMs / 1000).toFixed(1)} s later`,
    );

    await producer;
    const total = produced;
    const sourceEnds = await topicEndOffsets(eastBootstrap, topic);
    expect(sum(sourceEnds)).toBe(total);
    say(`producer done (${total} records on east); waiting for the flow to catch up`);
    await waitFor(
      async () => {
        if (fenced.length > 0) {
          throw new Error(
            `the only worker fenced itself out of partition(s) it still owns and stopped copying them: ${fenced.join("; ")}`,
          );
        }
        const snapshot = lastMetrics as FlowMetricsSnapshot | null;
        return (
          snapshot !== null &&
          snapshot.partitions.length === PARTITIONS &&
          snapshot.partitions.every((p) => p.nextOffset === sourceEnds[p.partition])
        );
      },
      60_000,
      "the flow's positions to reach the source log ends",
    ).catch((error: Error) => {
      console.log(`engine log:\n${engineLog.join("\n")}`);
      console.log(
        `last metrics: ${JSON.stringify(lastMetrics?.partitions.map((p) => [p.nextOffset, p.logEndOffset, p.state, p.error]))}`,
      );
      throw error;
    });
    const caughtUpAt = at();
    const finalHealth = runner.currentHealth;
    await runner.stop();
    sampling = false;
    await sampler;

    // Health: ERROR naming west while west was down, then back to RUNNING/CATCHING_UP by itself.
    const error = healths.find((h) => h.at >= stopAt && h.health === "ERROR" && /west/.test(h.reason ?? ""));
    // Recovered = the first RUNNING/CATCHING_UP after the last ERROR (the reason flaps while west is down).
    const lastError = healths.findLastIndex((h) => h.health === "ERROR");
    const recovered = healths
      .slice(lastError + 1)
      .find((h) => lastError >= 0 && (h.health === "RUNNING" || h.health === "CATCHING_UP"));
    say(
      `health changes: ${healths.map((h) => `+${(h.at / 1000).toFixed(1)}s ${h.health}`).join(", ")}; ` +
        `west stopped at +${(stopAt / 1000).toFixed(1)}s, answered again at +${(backAt / 1000).toFixed(1)}s`,
    );
    const engineIssues = engineLog.filter((l) => !l.includes(" INFO ") || l.includes("claimed partitions"));
    if (engineIssues.length > 0)
      say(`engine log (claims, warnings, errors):\n  ${engineIssues.slice(0, 40).join("\n  ")}`);
    // Known engine defect (reported, not asserted): the consumer's CRASH handler describes the
    // target's send error with the SOURCE alias, so the reason flips to "east is unreachable
    // (... <west's address>)" while only west is down.
    const misattributed = healths.filter(
      (h) =>
        h.health === "ERROR" && /^east\b/.test(h.reason ?? "") && (h.reason ?? "").includes(westBootstrap),
    ).length;
    const consumerCrashes = engineLog.filter((l) => l.includes("source consumer crashed")).length;
    if (misattributed > 0) {
      say(
        `WARNING: ${misattributed} ERROR reason(s) blamed east for west's outage (consumer crashed ${consumerCrashes}x)`,
      );
    }
    expect(error, "health ERROR mentioning west after west went down").toBeDefined();
    expect(error!.at, "ERROR reported while west was down").toBeLessThanOrEqual(backAt);
    expect(recovered, "health back to RUNNING/CATCHING_UP after the ERROR").toBeDefined();
    expect(finalHealth.health).not.toBe("ERROR");
    expect(fenced, "partitions the only worker fenced itself out of").toEqual([]);
    const healthRecoveryMs = recovered!.at - backAt;

    // Zero loss, order kept: per partition, the target without duplicates equals the source.
    const source = await readAll(eastBootstrap, topic, total, 30_000);
    const targetEnds = await topicEndOffsets(westBootstrap, remote);
    const targetCount = sum(targetEnds);
    say(`read ${source.length} records from east; west holds ${targetCount} (${targetEnds.join(", ")})`);
    const target = await readAll(westBootstrap, remote, targetCount, 30_000);
    say(`read ${target.length} records from west`);
    expect(source).toHaveLength(total);
    expect(new Set(source.map((r) => r.value?.toString("utf8"))).size, "source values unique").toBe(total);
    expect(target).toHaveLength(targetCount);
    const partitions = compareCopies(source, target);
    const duplicates = target.length - source.length;
    say(
      `caught up at +${(caughtUpAt / 1000).toFixed(1)}s: ${source.length} source records, ${target.length} on west ` +
        `=> ${duplicates} duplicate(s); records flowing ${(recoveryMs / 1000).toFixed(1)} s and health ` +
        `${recovered!.health} ${(healthRecoveryMs / 1000).toFixed(1)} s after west answered again`,
    );
    say(`per partition: ${JSON.stringify(partitions)}`);
    for (const p of partitions.filter((x) => x.duplicates > 0)) {
      say(
        `duplicates in partition ${p.partition}:\n  ${(await describeDuplicates(remote, p.partition)).join("\n  ")}`,
      );
    }
    for (const p of partitions) {
      expect(p, `partition ${p.partition}`).toMatchObject({ missing: 0, firstDivergence: -1 });
    }
    expect(sum(partitions.map((p) => p.duplicates))).toBe(duplicates);
    return {
      duplicates,
      recoveryMs,
      healthRecoveryMs,
      errorDetectedMs: error!.at - stopAt,
      consumerCrashes,
      misattributed,
    };
  } finally {
    producing = false;
    sampling = false;
    await producer.catch(() => {});
    await sampler.catch(() => {});
    await runner.stop().catch(() => {});
    if (westDown) await startClusters({ aliases: ["west"], report: stackReport });
  }
}

describe("FlowRunner when the target cluster restarts mid-stream", () => {
  it("reports west as down, recovers by itself and loses nothing (graceful stop of west)", async () => {
    const result = await targetOutageScenario(false);
    console.log(`graceful stop: ${JSON.stringify(result)}`);
  }, 120_000);

  it("same after a hard kill (SIGKILL) of west's broker", async () => {
    const result = await targetOutageScenario(true);
    console.log(`hard kill: ${JSON.stringify(result)}`);
  }, 120_000);
});
