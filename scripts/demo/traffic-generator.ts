import { randomBytes } from "node:crypto";
import { createKafka } from "@mirrordeck/kafka";
import { CompressionTypes, Partitioners } from "kafkajs";

export interface TrafficOptions {
  bootstrapServers: string;
  topic: string;
  recordsPerSecond: number;
  /** Stop after this many records (default: run until stopped). */
  maxRecords?: number;
}

/**
 * Produces keyed order events with headers at a steady rate, in small batches ten times a second.
 * Keys land on partitions as a Java producer would put them.
 */
export function startTrafficGenerator(options: TrafficOptions): { stop: () => Promise<number> } {
  const producer = createKafka({ alias: "traffic", bootstrapServers: options.bootstrapServers }).producer({
    createPartitioner: Partitioners.JavaCompatiblePartitioner,
    allowAutoTopicCreation: false,
  });
  let sent = 0;
  let stopped = false;
  const perTick = Math.max(1, Math.round(options.recordsPerSecond / 10));
  const loop = (async () => {
    await producer.connect();
    while (!stopped && (options.maxRecords === undefined || sent < options.maxRecords)) {
      const started = Date.now();
      const messages = Array.from({ length: perTick }, (_, i) => {
        const n = sent + i;
        const customer = `customer-${n % 97}`;
        return {
          key: customer,
          value: JSON.stringify({
            order: n,
            customer,
            amountCents: (n * 7919) % 100_000,
            note: randomBytes(24).toString("hex"),
          }),
          headers: { "event-type": "order-created", "trace-id": randomBytes(8).toString("hex") },
        };
      });
      try {
        await producer.send({ topic: options.topic, messages, compression: CompressionTypes.None, acks: -1 });
        sent += messages.length;
      } catch (error) {
        console.error(`traffic: send failed, retrying: ${(error as Error).message}`);
      }
      await new Promise((r) => setTimeout(r, Math.max(0, 100 - (Date.now() - started))));
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await loop.catch(() => {});
      await producer.disconnect().catch(() => {});
      return sent;
    },
  };
}
