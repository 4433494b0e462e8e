// Compressed source topics copied record for record: gzip and snappy (kafkajs-written and Java's
// xerial framing), lz4 and zstd (Kafka's Java producer), checked by count and digest per partition;
// and a topic whose batches cannot be decoded put in error on its own while the others go on.
import type { FlowMetricsSnapshot, PartitionMetrics } from "@mirrordeck/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PgPositionStore } from "../../../packages/db/src/index.ts";
import {
  produceCompressed,
  produceWithJava,
  spyOnCodec,
  topicTotal,
} from "../../../scripts/test-support/compressed-records.ts";
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
  partitionDigests,
  readAll,
  uniqueName,
  waitFor,
  westBootstrap,
} from "../../../scripts/test-support/kafka-records.ts";
import { undecodableBatchMessage } from "./codecs/codec-quarantine.ts";
import { kafkajs } from "./codecs/decode-watch.ts";
import { type KafkajsCodec, registerCodecs, replaceCodec } from "./codecs/register-codecs.ts";
import { isXerialFramed } from "./codecs/snappy-codec.ts";
import type { FlowHealth, FlowRunnerEvent } from "./flow-events.ts";
import { FlowRunner } from "./flow-runner.ts";
import type { FlowSpec } from "./flow-spec.ts";

const { CompressionTypes } = kafkajs;

/** Counts the snappy payloads kafkajs decodes: raw blocks, xerial frames, blocks per frame. */
function spyOnSnappy() {
  const seen = { raw: 0, framed: 0, maxBlocks: 0 };
  const restore = spyOnCodec(CompressionTypes.Snappy, (payload) => {
    if (!isXerialFramed(payload)) {
      seen.raw += 1;
      return;
    }
    seen.framed += 1;
    let blocks = 0;
    for (let at = 16; at + 4 <= payload.length; at += 4 + payload.readInt32BE(at)) blocks += 1;
    seen.maxBlocks = Math.max(seen.maxBlocks, blocks);
  });
  return { seen, restore };
}

let fixture: FlowFixture;
const topicsToDelete: { bootstrap: string; topic: string }[] = [];

beforeAll(async () => {
  registerCodecs();
  fixture = await migratedDatabaseWithClusters();
});
afterAll(async () => {
  for (const { bootstrap, topic } of topicsToDelete) await deleteTopics(bootstrap, [topic]);
  await fixture?.cleanup();
});

function spec(flowId: string, topicsInclude: string, overrides: Partial<FlowSpec> = {}): FlowSpec {
  return testFlowSpec(flowId, topicsInclude, { metricsIntervalMs: 500, ...overrides });
}

function track(...pairs: [string, string][]): void {
  for (const [bootstrap, topic] of pairs) topicsToDelete.push({ bootstrap, topic });
}

describe("FlowRunner over compressed source topics", () => {
  it("replicates gzip, snappy (kafkajs-written and Java's xerial-framed), lz4 and zstd batches record for record", async () => {
    const prefix = uniqueName("codec");
    const gzip = `${prefix}-gzip`;
    const snappyJs = `${prefix}-snappy-js`;
    const snappyJava = `${prefix}-snappy-java`;
    const lz4 = `${prefix}-lz4`;
    const zstd = `${prefix}-zstd`;
    const topics = [gzip, snappyJs, snappyJava, lz4, zstd];
    for (const t of topics) track([eastBootstrap, t], [westBootstrap, `east.${t}`]);
    for (const t of topics) await createTopic(eastBootstrap, t, 3);
    await produceCompressed(gzip, 3_000, CompressionTypes.GZIP);
    await produceCompressed(snappyJs, 3_000, CompressionTypes.Snappy);
    const javaMs = await produceWithJava([
      { topic: snappyJava, codec: "snappy", count: 6_000 },
      { topic: lz4, codec: "lz4", count: 6_000 },
      { topic: zstd, codec: "zstd", count: 6_000 },
    ]);
    const expected = new Map([
      [gzip, 3_000],
      [snappyJs, 3_000],
      [snappyJava, 6_000],
      [lz4, 6_000],
      [zstd, 6_000],
    ]);

    const flowId = await createFlowRow(fixture, {
      name: uniqueName("flow"),
      topicsInclude: `${escapeRegex(prefix)}-.*`,
    });
    const events: FlowRunnerEvent[] = [];
    const health: FlowHealth[] = [];
    const errorReasons: string[] = [];
    const snappy = spyOnSnappy();
    // lz4 and zstd payloads really decoded (Java's producer batches up to 256 KiB: several blocks).
    const decoded = { lz4: 0, zstd: 0 };
    const restoreLz4 = spyOnCodec(CompressionTypes.LZ4, () => decoded.lz4++);
    const restoreZstd = spyOnCodec(CompressionTypes.ZSTD, () => decoded.zstd++);
    const runner = new FlowRunner(spec(flowId, `${escapeRegex(prefix)}-.*`), {
      positions: new PgPositionStore(fixture.db),
      owner: "codec-worker",
      onEvent: (e) => events.push(e),
      onHealth: (h, reason) => {
        health.push(h);
        if (h === "ERROR" && reason) errorReasons.push(reason);
      },
    });
    const started = Date.now();
    await runner.start();
    try {
      await waitFor(
        async () => {
          for (const [t, n] of expected) if ((await topicTotal(westBootstrap, `east.${t}`)) < n) return false;
          return true;
        },
        90_000,
        "every compressed record on west",
      );
    } finally {
      await runner.stop();
      snappy.restore();
      restoreLz4();
      restoreZstd();
    }
    expect(decoded.lz4).toBeGreaterThan(0);
    expect(decoded.zstd).toBeGreaterThan(0);
    // Both snappy layouts were really read: kafkajs's raw blocks and Java's multi-block xerial frames.
    console.log(`snappy payloads decoded: ${JSON.stringify(snappy.seen)}`);
    expect(snappy.seen.raw).toBeGreaterThan(0);
    expect(snappy.seen.framed).toBeGreaterThan(0);
    expect(snappy.seen.maxBlocks).toBeGreaterThan(1);
    const copySeconds = (Date.now() - started) / 1000;
    console.log(
      `java producer (6,000 records each of snappy, lz4, zstd, incl. JVM start) ${javaMs} ms; flow copied 24,000 compressed records in ${copySeconds.toFixed(1)} s; payloads decoded: lz4 ${decoded.lz4}, zstd ${decoded.zstd}`,
    );

    for (const [t, n] of expected) {
      const source = partitionDigests(await readAll(eastBootstrap, t, n));
      const target = partitionDigests(await readAll(westBootstrap, `east.${t}`, n));
      expect(source.size, t).toBe(3);
      expect(
        [...source.values()].reduce((a, p) => a + p.count, 0),
        t,
      ).toBe(n);
      expect(target, t).toEqual(source);
    }
    expect(events.filter((e) => e.kind === "topic.error")).toEqual([]);
    // No decoding problem ever crashed the consumer (transient start-up errors of a brand-new
    // cluster, such as a group coordinator still loading, are not what this test is about).
    expect(errorReasons.filter((r) => /codec|compress|decod|not implemented/i.test(r))).toEqual([]);
  }, 240_000);

  it("puts only the topics whose batches cannot be decoded in error, per topic, and keeps copying the others", async () => {
    // Every Kafka codec is readable: a decoder that fails (a bug, or a batch the decoder cannot
    // take) is injected for lz4 and zstd, behind the same watch as the real ones.
    const fault = (codec: string): KafkajsCodec => ({
      compress: async () => {
        throw new Error("not used");
      },
      decompress: async () => {
        throw new Error(`${codec} decoder fault (injected)`);
      },
    });
    const message = (topic: string, codec: "lz4" | "zstd") =>
      undecodableBatchMessage("east", topic, codec, `${codec} decoder fault (injected)`);
    const prefix = uniqueName("unreadable");
    const plain = `${prefix}-plain`;
    const lz4 = `${prefix}-lz4`;
    const zstd = `${prefix}-zstd`;
    const mixed = `${prefix}-mixed`; // readable gzip records first, lz4 after
    const late = `${prefix}-late`; // added while the flow runs: the consumer is recreated
    for (const t of [plain, lz4, zstd, mixed, late]) track([eastBootstrap, t], [westBootstrap, `east.${t}`]);
    await createTopic(eastBootstrap, plain, 3);
    await createTopic(eastBootstrap, lz4, 2);
    await createTopic(eastBootstrap, zstd, 1);
    await createTopic(eastBootstrap, mixed, 1);
    await produceCompressed(plain, 2_000, CompressionTypes.None);
    await produceCompressed(mixed, 100, CompressionTypes.GZIP);
    const javaMs = await produceWithJava([
      { topic: lz4, codec: "lz4", count: 500 },
      { topic: zstd, codec: "zstd", count: 300 },
      { topic: mixed, codec: "lz4", count: 100, startIndex: 100 },
    ]);

    const flowId = await createFlowRow(fixture, {
      name: uniqueName("flow"),
      topicsInclude: `${escapeRegex(prefix)}-.*`,
    });
    const events: FlowRunnerEvent[] = [];
    const health: FlowHealth[] = [];
    const errorReasons: string[] = [];
    const snapshots: FlowMetricsSnapshot[] = [];
    const runner = new FlowRunner(
      spec(flowId, `${escapeRegex(prefix)}-.*`, { refreshTopicsIntervalMs: 2_000 }),
      {
        positions: new PgPositionStore(fixture.db),
        owner: "codec-worker",
        onEvent: (e) => events.push({ ...e, details: { ...e.details, at: Date.now() } }),
        onHealth: (h, reason) => {
          health.push(h);
          if (h === "ERROR" && reason) errorReasons.push(reason);
        },
        onMetrics: (s) => snapshots.push(s),
      },
    );
    // Installed once the topics are written (the Java producer's batches are read back by nothing
    // else); restored in the finally below, with the spies around them.
    const restoreLz4Decoder = replaceCodec(CompressionTypes.LZ4, "lz4", fault("lz4"));
    const restoreZstdDecoder = replaceCodec(CompressionTypes.ZSTD, "zstd", fault("zstd"));
    // Every lz4/zstd payload the flow's consumer is handed (each one a fetch of an undecodable batch).
    let unreadableFetches = 0;
    const restoreLz4 = spyOnCodec(CompressionTypes.LZ4, () => unreadableFetches++);
    const restoreZstd = spyOnCodec(CompressionTypes.ZSTD, () => unreadableFetches++);
    // Codec errors only: a target topic that fails to sync is reported as a topic.error too (and
    // retried at the next topic refresh); that is not what this test is about.
    const topicErrors = () =>
      events.filter((e) => e.kind === "topic.error" && e.details?.codec !== undefined);
    const latest = (topic: string): PartitionMetrics[] =>
      (snapshots.at(-1)?.partitions ?? []).filter((p) => p.topic === topic);
    const started = Date.now();
    await runner.start();
    try {
      await waitFor(async () => topicErrors().length >= 3, 60_000, "three codec topic.error events");
      const detectedMs = Math.max(...topicErrors().map((e) => Number(e.details?.at))) - started;
      await waitFor(
        async () => (await topicTotal(westBootstrap, `east.${plain}`)) >= 2_000,
        60_000,
        "the plain topic copied",
      );

      // Exactly one error per unreadable topic, named by cluster, topic and codec; none for the others.
      expect(
        topicErrors()
          .map((e) => e.message)
          .sort(),
      ).toEqual([message(lz4, "lz4"), message(zstd, "zstd"), message(mixed, "lz4")].sort());
      expect(message(lz4, "lz4")).toBe(
        `Records on east topic ${lz4} use lz4 compression, which this engine could not decode: lz4 decoder fault (injected)`,
      );

      // Shown per topic in the live metrics: error partitions with the message, the others not.
      await waitFor(
        async () =>
          [lz4, zstd, mixed].every((t) => {
            const ps = latest(t);
            return ps.length > 0 && ps.every((p) => p.state === "error");
          }),
        10_000,
        "error state in the partition metrics",
      );
      for (const t of [lz4, zstd, mixed]) {
        expect(
          latest(t)
            .map((p) => p.partition)
            .sort(),
        ).toEqual(
          t === lz4 ? [0, 1] : [0], // every partition of the topic
        );
        for (const p of latest(t)) expect(p.error).toContain(`topic ${t} use`);
      }
      expect(latest(plain)).toHaveLength(3);
      for (const p of latest(plain)) expect(p.state).not.toBe("error");
      // The mixed topic's readable head was copied; its position waits on the first lz4 batch.
      expect(latest(mixed)[0]?.nextOffset).toBe(100);
      expect(await topicTotal(westBootstrap, `east.${mixed}`)).toBe(100);
      expect(await topicTotal(westBootstrap, `east.${lz4}`)).toBe(0);

      // Not stalled: new records of the plain topic keep flowing after the errors.
      const more = Date.now();
      await produceCompressed(plain, 1_000, CompressionTypes.None, 2_000);
      const followMs = await waitFor(
        async () => (await topicTotal(westBootstrap, `east.${plain}`)) >= 3_000,
        30_000,
        "plain records produced after the errors",
      );
      const probes = topicErrors().map(
        (e) => `${e.details?.topic}: ${e.details?.probeMs} ms/${e.details?.probeWindows} windows`,
      );
      console.log(
        `java producer ${javaMs} ms; 3 undecodable topics in error ${detectedMs} ms after start (probes ${probes.join(", ")}); ` +
          `1,000 new plain records copied ${Date.now() - more} ms after produce (waited ${followMs} ms)`,
      );

      // A topic added later recreates the consumer: the error topics stay paused and in error,
      // with no second event.
      await createTopic(eastBootstrap, late, 1);
      await produceCompressed(late, 200, CompressionTypes.GZIP);
      await runner.refreshTopicsNow();
      await waitFor(
        async () => (await topicTotal(westBootstrap, `east.${late}`)) >= 200,
        60_000,
        "the late topic copied",
      );
      await waitFor(
        async () =>
          [lz4, zstd, mixed].every(
            (t) => latest(t).length > 0 && latest(t).every((p) => p.state === "error"),
          ),
        10_000,
        "error state again after the consumer was recreated",
      );
      expect(topicErrors()).toHaveLength(3);
      expect(await topicTotal(westBootstrap, `east.${lz4}`)).toBe(0);
      expect(await topicTotal(westBootstrap, `east.${mixed}`)).toBe(100);
      // Paused for real on the new consumer: no unreadable batch is fetched any more.
      const fetchedBefore = unreadableFetches;
      await new Promise((r) => setTimeout(r, 2_000));
      expect(unreadableFetches).toBe(fetchedBefore);
      console.log(`unreadable batches fetched in all: ${unreadableFetches}`);
    } finally {
      await runner.stop();
      restoreLz4();
      restoreZstd();
      restoreLz4Decoder();
      restoreZstdDecoder();
    }
    expect(partitionDigests(await readAll(westBootstrap, `east.${plain}`, 3_000))).toEqual(
      partitionDigests(await readAll(eastBootstrap, plain, 3_000)),
    );
    // The consumer never crashed (a crash sets the flow's health to ERROR).
    // No decoding problem ever crashed the consumer (transient start-up errors of a brand-new
    // cluster, such as a group coordinator still loading, are not what this test is about).
    expect(errorReasons.filter((r) => /codec|compress|decod|not implemented/i.test(r))).toEqual([]);
  }, 240_000);
});
