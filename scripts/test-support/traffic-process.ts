// A producer or a consumer group as its own process, for failover tests: the test stops it when
// the wizard asks, as an operator would stop an application.
//
//   tsx scripts/test-support/traffic-process.ts produce <bootstrap> <topic> <ratePerSec> <logFile> [startIndex]
//   tsx scripts/test-support/traffic-process.ts consume <bootstrap> <topics,comma,separated> <group> <logFile>
//
// The producer appends "index" for every acknowledged record; the consumer "topic partition offset
// index" for every record it processed. SIGTERM stops either cleanly (the consumer commits first).
import { appendFileSync } from "node:fs";
import { Kafka, logLevel, Partitioners } from "kafkajs";

const [mode, bootstrap, topicArg, fourth, logFile, fifth] = process.argv.slice(2);
if ((mode !== "produce" && mode !== "consume") || !bootstrap || !topicArg || !fourth || !logFile) {
  console.error("usage: traffic-process.ts produce|consume <bootstrap> <topic(s)> <rate|group> <logFile>");
  process.exit(2);
}
const kafka = new Kafka({
  clientId: `traffic-${mode}`,
  brokers: [bootstrap],
  logLevel: logLevel.NOTHING,
  retry: { retries: 1000, initialRetryTime: 200, maxRetryTime: 2_000 },
});
let stopping = false;

if (mode === "produce") {
  const rate = Number(fourth);
  let index = Number(fifth ?? 0);
  const producer = kafka.producer({
    createPartitioner: Partitioners.JavaCompatiblePartitioner,
    idempotent: true,
  });
  await producer.connect();
  process.on("SIGTERM", () => {
    stopping = true;
  });
  const perTick = Math.max(1, Math.round(rate / 10));
  while (!stopping) {
    const started = Date.now();
    const batch = Array.from({ length: perTick }, () => index++);
    try {
      await producer.send({
        topic: topicArg,
        acks: -1,
        messages: batch.map((i) => ({
          key: `key-${i % 37}`,
          value: `${i}`,
          headers: { "x-index": String(i) },
        })),
      });
      appendFileSync(logFile, `${batch.join("\n")}\n`);
    } catch {
      // Not acknowledged: not logged, so not counted as produced (it may still have landed). Its
      // indices are not used again, so a value names one record even when a failed send landed.
    }
    await new Promise((r) => setTimeout(r, Math.max(0, 100 - (Date.now() - started))));
  }
  await producer.disconnect();
  process.exit(0);
} else {
  const consumer = kafka.consumer({
    groupId: fourth,
    maxWaitTimeInMs: 200,
    sessionTimeout: 10_000,
    heartbeatInterval: 1_000,
  });
  await consumer.connect();
  await consumer.subscribe({ topics: topicArg.split(","), fromBeginning: true });
  process.on("SIGTERM", () => {
    if (stopping) return;
    stopping = true;
    // disconnect() stops the run loop, commits what was processed, and leaves the group.
    void consumer.disconnect().finally(() => process.exit(0));
  });
  await consumer.run({
    autoCommit: false,
    eachBatch: async ({ batch, resolveOffset, commitOffsetsIfNecessary, heartbeat }) => {
      const lines: string[] = [];
      for (const m of batch.messages) {
        lines.push(`${batch.topic} ${batch.partition} ${m.offset} ${m.value?.toString() ?? ""}`);
        resolveOffset(m.offset);
      }
      appendFileSync(logFile, lines.length > 0 ? `${lines.join("\n")}\n` : "");
      // Committed right after processing: what is logged is what the group has committed, or less.
      await consumer.commitOffsets([
        { topic: batch.topic, partition: batch.partition, offset: String(Number(batch.lastOffset()) + 1) },
      ]);
      await commitOffsetsIfNecessary();
      await heartbeat();
    },
  });
}
