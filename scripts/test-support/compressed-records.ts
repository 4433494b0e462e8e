// Compressed source records for the engine's codec tests: Kafka's Java producer (the only way to
// get lz4 and zstd batches and Java's xerial-framed snappy) and kafkajs (gzip, raw snappy).
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { kafkajs } from "../../packages/replication/src/codecs/decode-watch.ts";
import { requireJava } from "../stack/java-runtime.ts";
import { kafkaLibsDir, loadStackConfig } from "../stack/stack-config.ts";
import { eastBootstrap, kafkaFor, topicEndOffsets } from "./kafka-records.ts";

const { CompressionCodecs, Partitioners } = kafkajs;

type CodecType = keyof typeof CompressionCodecs;

/** Calls `observe` with every payload kafkajs hands the installed codec of `type` to decompress. */
export function spyOnCodec(type: CodecType, observe: (payload: Buffer) => void): () => void {
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

export interface JavaBatch {
  topic: string;
  codec: "snappy" | "lz4" | "zstd" | "gzip";
  count: number;
  startIndex?: number;
}

export async function produceWithJava(batches: JavaBatch[]): Promise<number> {
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
export async function produceCompressed(
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

/** Records in the topic (sum of its partitions' end offsets; the topics here start at 0). */
export async function topicTotal(bootstrap: string, topic: string): Promise<number> {
  return (await topicEndOffsets(bootstrap, topic)).reduce((a, b) => a + b, 0);
}
