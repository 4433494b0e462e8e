import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import type { FlowMetricsSnapshot, PartitionMetrics } from "@mirrordeck/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PgPositionStore } from "../../../packages/db/src/index.ts";
import { requireJava } from "../../../scripts/stack/java-runtime.ts";
import { kafkaLibsDir, loadStackConfig } from "../../../scripts/stack/stack-config.ts";
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
  partitionDigests,
  readAll,
  topicEndOffsets,
  uniqueName,
  waitFor,
  westBootstrap,
} from "../../../scripts/test-support/kafka-records.ts";
import { unreadableCodecMessage } from "./codecs/codec-quarantine.ts";
import { kafkajs } from "./codecs/decode-watch.ts";
import { registerCodecs } from "./codecs/register-codecs.ts";
import { isXerialFramed } from "./codecs/snappy-codec.ts";
import type { FlowHealth, FlowRunnerEvent } from "./flow-events.ts";
import { FlowRunner } from "./flow-runner.ts";
import type { FlowSpec } from "./flow-spec.ts";

const { CompressionCodecs, CompressionTypes, Partitioners } = kafkajs;

type CodecType = keyof typeof CompressionCodecs;

/** Calls `observe` with every payload kafkajs hands the installed codec of `type` to decompress. */
function spyOnCodec(type: CodecType, observe: (payload: Buffer) => void): () => void {
  const installed = CompressionCodecs[type];
  CompressionCodecs[type] = () => {
    const codec = installed();
    return {
      compress: (encoder: { buffer: Buffer }) => codec.compress(encoder),
      decompress: (payload: Buffer) => {
        observe(payload);
        return codec.decompress(payload);
      },
    };
  };
  return () => {
    CompressionCodecs[type] = installed;
  };
}

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

/**
 * Kafka's own Java producer, run from source against the stack's broker jars (kafka-clients brings
 * snappy-java, lz4-java and zstd-jni): the only way to get lz4/zstd batches (kafkajs cannot write
 * them) and the way to get snappy in Java's xerial framing. Each argument is
 * `topic,codec,count,startIndex`; records carry a key, an `x-index` header and a fixed timestamp.
 */
const JAVA_PRODUCER = `
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

public class CompressedProducer {
  public static void main(String[] args) throws Exception {
    for (int a = 1; a < args.length; a++) {
      String[] spec = args[a].split(",");
      Properties p = new Properties();
      p.put("bootstrap.servers", args[0]);
      p.put("compression.type", spec[1]);
      p.put("linger.ms", "100");
      p.put("batch.size", "262144");
      p.put("acks", "all");
      p.put("max.block.ms", "20000");
      p.put("request.timeout.ms", "10000");
      p.put("delivery.timeout.ms", "30000");
      p.put("key.serializer", ByteArraySerializer.class.getName());
      p.put("value.serializer", ByteArraySerializer.class.getName());
      int count = Integer.parseInt(spec[2]);
      int start = Integer.parseInt(spec[3]);
      try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
        for (int i = start; i < start + count; i++) {
          byte[] value = (i + ":" + Integer.toHexString(i * 7919).repeat(20))
              .getBytes(StandardCharsets.UTF_8);
          ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(spec[0], null, 1_700_000_000_000L + i,
              ("key-" + (i % 101)).getBytes(StandardCharsets.UTF_8), value);
          r.headers().add("x-index", Integer.toString(i).getBytes(StandardCharsets.UTF_8));
          producer.send(r);
        }
        producer.flush();
      }
    }
  }
}
`;

interface JavaBatch {
  topic: string;
  codec: "snappy" | "lz4" | "zstd" | "gzip";
  count: number;
  startIndex?: number;
}

async function produceWithJava(batches: JavaBatch[]): Promise<number> {
  const started = Date.now();
  const { executable } = await requireJava(4);
  const dir = await mkdtemp(path.join(tmpdir(), "md-java-producer-"));
  try {
    const source = path.join(dir, "CompressedProducer.java");
    await writeFile(source, JAVA_PRODUCER);
    const libs = path.join(kafkaLibsDir(loadStackConfig()), "*");
    await promisify(execFile)(
      executable,
      [
        "-XX:TieredStopAtLevel=1",
        "-Xmx256m",
        "-cp",
        libs,
        source,
        eastBootstrap,
        ...batches.map((b) => `${b.topic},${b.codec},${b.count},${b.startIndex ?? 0}`),
      ],
      { timeout: 120_000, maxBuffer: 16 * 1024 * 1024 },
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return Date.now() - started;
}

/** Keyed records with headers, produced by kafkajs with the given compression. */
async function produceCompressed(
  topic: string,
  count: number,
  compression: number,
  startIndex = 0,
): Promise<void> {
  const producer = kafkaFor(eastBootstrap).producer({
    createPartitioner: Partitioners.JavaCompatiblePartitioner,
  });
  await producer.connect();
  try {
    for (let i = startIndex; i < startIndex + count; i += 500) {
      const n = Math.min(500, startIndex + count - i);
      await producer.send({
        topic,
        acks: -1,
        compression,
        messages: Array.from({ length: n }, (_, j) => {
          const index = i + j;
          return {
            key: `key-${index % 101}`,
            value: `${index}:${randomBytes(24).toString("hex").repeat(4)}`,
            headers: { "x-index": String(index), "x-bin": randomBytes(4) },
            timestamp: String(1_700_000_000_000 + index),
          };
        }),
      });
    }
  } finally {
    await producer.disconnect();
  }
}

async function total(bootstrap: string, topic: string): Promise<number> {
  return (await topicEndOffsets(bootstrap, topic)).reduce((a, b) => a + b, 0);
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
  it("replicates gzip and snappy batches (kafkajs-written and Java's xerial-framed) record for record", async () => {
    const prefix = uniqueName("codec");
    const gzip = `${prefix}-gzip`;
    const snappyJs = `${prefix}-snappy-js`;
    const snappyJava = `${prefix}-snappy-java`;
    for (const t of [gzip, snappyJs, snappyJava]) track([eastBootstrap, t], [westBootstrap, `east.${t}`]);
    await createTopic(eastBootstrap, gzip, 3);
    await createTopic(eastBootstrap, snappyJs, 3);
    await createTopic(eastBootstrap, snappyJava, 3);
    await produceCompressed(gzip, 3_000, CompressionTypes.GZIP);
    await produceCompressed(snappyJs, 3_000, CompressionTypes.Snappy);
    const javaMs = await produceWithJava([{ topic: snappyJava, codec: "snappy", count: 6_000 }]);
    const expected = new Map([
      [gzip, 3_000],
      [snappyJs, 3_000],
      [snappyJava, 6_000],
    ]);

    const flowId = await createFlowRow(fixture, {
      name: uniqueName("flow"),
      topicsInclude: `${escapeRegex(prefix)}-.*`,
    });
    const events: FlowRunnerEvent[] = [];
    const health: FlowHealth[] = [];
    const errorReasons: string[] = [];
    const snappy = spyOnSnappy();
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
          for (const [t, n] of expected) if ((await total(westBootstrap, `east.${t}`)) < n) return false;
          return true;
        },
        90_000,
        "every gzip and snappy record on west",
      );
    } finally {
      await runner.stop();
      snappy.restore();
    }
    // Both snappy layouts were really read: kafkajs's raw blocks and Java's multi-block xerial frames.
    console.log(`snappy payloads decoded: ${JSON.stringify(snappy.seen)}`);
    expect(snappy.seen.raw).toBeGreaterThan(0);
    expect(snappy.seen.framed).toBeGreaterThan(0);
    expect(snappy.seen.maxBlocks).toBeGreaterThan(1);
    const copySeconds = (Date.now() - started) / 1000;
    console.log(
      `java producer (6,000 snappy records, incl. JVM start) ${javaMs} ms; flow copied 12,000 compressed records in ${copySeconds.toFixed(1)} s`,
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

  it("puts only the lz4 and zstd topics in error, per topic, and keeps copying the others", async () => {
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
    // Every lz4/zstd payload the flow's consumer is handed (each one a fetch of an unreadable batch).
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
        async () => (await total(westBootstrap, `east.${plain}`)) >= 2_000,
        60_000,
        "the plain topic copied",
      );

      // Exactly one error per unreadable topic, named by cluster, topic and codec; none for the others.
      expect(
        topicErrors()
          .map((e) => e.message)
          .sort(),
      ).toEqual(
        [
          unreadableCodecMessage("east", lz4, "lz4"),
          unreadableCodecMessage("east", zstd, "zstd"),
          unreadableCodecMessage("east", mixed, "lz4"),
        ].sort(),
      );
      expect(unreadableCodecMessage("east", lz4, "lz4")).toBe(
        `Records on east topic ${lz4} use lz4 compression, which this engine cannot read yet`,
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
      expect(await total(westBootstrap, `east.${mixed}`)).toBe(100);
      expect(await total(westBootstrap, `east.${lz4}`)).toBe(0);

      // Not stalled: new records of the plain topic keep flowing after the errors.
      const more = Date.now();
      await produceCompressed(plain, 1_000, CompressionTypes.None, 2_000);
      const followMs = await waitFor(
        async () => (await total(westBootstrap, `east.${plain}`)) >= 3_000,
        30_000,
        "plain records produced after the errors",
      );
      const probes = topicErrors().map(
        (e) => `${e.details?.topic}: ${e.details?.probeMs} ms/${e.details?.probeWindows} windows`,
      );
      console.log(
        `java producer ${javaMs} ms; 3 unreadable topics in error ${detectedMs} ms after start (probes ${probes.join(", ")}); ` +
          `1,000 new plain records copied ${Date.now() - more} ms after produce (waited ${followMs} ms)`,
      );

      // A topic added later recreates the consumer: the error topics stay paused and in error,
      // with no second event.
      await createTopic(eastBootstrap, late, 1);
      await produceCompressed(late, 200, CompressionTypes.GZIP);
      await runner.refreshTopicsNow();
      await waitFor(
        async () => (await total(westBootstrap, `east.${late}`)) >= 200,
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
      expect(await total(westBootstrap, `east.${lz4}`)).toBe(0);
      expect(await total(westBootstrap, `east.${mixed}`)).toBe(100);
      // Paused for real on the new consumer: no unreadable batch is fetched any more.
      const fetchedBefore = unreadableFetches;
      await new Promise((r) => setTimeout(r, 2_000));
      expect(unreadableFetches).toBe(fetchedBefore);
      console.log(`unreadable batches fetched in all: ${unreadableFetches}`);
    } finally {
      await runner.stop();
      restoreLz4();
      restoreZstd();
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
