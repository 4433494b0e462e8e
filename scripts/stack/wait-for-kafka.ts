// Readiness of a Kafka cluster = it answers a metadata request (kafkajs admin describeCluster).
import { Kafka, logLevel } from "kafkajs";
import { sleep } from "./progress.ts";

export interface ClusterInfo {
  clusterId: string;
  brokers: number;
  controller: number | null;
}

/** One describeCluster attempt with short timeouts; null if the cluster doesn't answer. */
export async function probeKafka(bootstrap: string, timeoutMs = 2_000): Promise<ClusterInfo | null> {
  const kafka = new Kafka({
    clientId: "mirrordeck-stack-probe",
    brokers: [bootstrap],
    logLevel: logLevel.NOTHING,
    connectionTimeout: Math.min(timeoutMs, 1_000),
    requestTimeout: timeoutMs,
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const cluster = await admin.describeCluster();
    if (cluster.brokers.length === 0) return null;
    return { clusterId: cluster.clusterId, brokers: cluster.brokers.length, controller: cluster.controller };
  } catch {
    return null;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

export interface WaitForKafkaOptions {
  bootstrap: string;
  timeoutMs: number;
  /** Checked between attempts: stop waiting as soon as the broker process has died. */
  isAlive?: () => boolean;
}

export type WaitResult = { ok: true; info: ClusterInfo } | { ok: false; reason: "timeout" | "exited" };

export async function waitForKafka(options: WaitForKafkaOptions): Promise<WaitResult> {
  const deadline = performance.now() + options.timeoutMs;
  for (;;) {
    const info = await probeKafka(options.bootstrap);
    if (info) return { ok: true, info };
    if (options.isAlive && !options.isAlive()) return { ok: false, reason: "exited" };
    if (performance.now() > deadline) return { ok: false, reason: "timeout" };
    await sleep(250);
  }
}
