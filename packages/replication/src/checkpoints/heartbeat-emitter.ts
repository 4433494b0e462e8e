import { type ClusterConnection, createKafka } from "@mirrordeck/kafka";
import { encodeHeartbeatKey, encodeHeartbeatValue, HEARTBEATS_TOPIC } from "@mirrordeck/mm2";
import type { Producer } from "kafkajs";
import type { ClusterAdmin } from "../ports/cluster-admin.ts";
import { ensureInternalTopic } from "../topics/internal-topic.ts";

interface HeartbeatTarget {
  cluster: ClusterConnection;
  admin: ClusterAdmin;
  /** Alias written as the heartbeat's source. */
  fromAlias: string;
  /** Connected (or connecting) producer; shared by emits, dropped when a connect fails. */
  producer?: Promise<Producer>;
}

/**
 * MM2's MirrorHeartbeatConnector for a flow source→target, both ways as MM2's dedicated mode
 * runs it: a heartbeat (source, target) into the target's `heartbeats` every interval, and one
 * (target, source) into the source's `heartbeats` (MM2 runs the reverse pair's heartbeat
 * connector even when that flow is disabled). The flow replicates the source's `heartbeats` to
 * `<source>.heartbeats` on the target, so a heartbeat arriving there has crossed the data plane.
 */
export class HeartbeatEmitter {
  private readonly targets: HeartbeatTarget[];
  lastEmittedAt: number | null = null;
  emitError: string | null = null;

  constructor(
    source: { cluster: ClusterConnection; admin: ClusterAdmin },
    target: { cluster: ClusterConnection; admin: ClusterAdmin },
  ) {
    this.targets = [
      { ...target, fromAlias: source.cluster.alias },
      { ...source, fromAlias: target.cluster.alias },
    ];
  }

  /** Creates both `heartbeats` topics; called before the flow first lists the source's topics. */
  async prepareTopics(): Promise<void> {
    for (const t of this.targets) await ensureInternalTopic(t.cluster, t.admin, HEARTBEATS_TOPIC);
  }

  async emit(): Promise<void> {
    const timestamp = Date.now();
    const errors: string[] = [];
    await Promise.all(
      this.targets.map(async (t) => {
        try {
          t.producer ??= connectedProducer(t.cluster);
          const pending = t.producer;
          const producer = await pending.catch((error) => {
            if (t.producer === pending) t.producer = undefined;
            throw error;
          });
          const heartbeat = {
            sourceClusterAlias: t.fromAlias,
            targetClusterAlias: t.cluster.alias,
            timestamp,
          };
          await producer.send({
            topic: HEARTBEATS_TOPIC,
            acks: -1,
            messages: [
              {
                partition: 0,
                key: encodeHeartbeatKey(heartbeat),
                value: encodeHeartbeatValue(heartbeat),
                timestamp: String(timestamp),
              },
            ],
          });
        } catch (error) {
          errors.push(`${t.cluster.alias}: ${(error as Error).message}`);
        }
      }),
    );
    if (errors.length === 0) this.lastEmittedAt = timestamp;
    this.emitError = errors.length === 0 ? null : `heartbeats not written to ${errors.join("; ")}`;
  }

  async close(): Promise<void> {
    await Promise.all(
      this.targets.map(async (t) => {
        const producer = t.producer;
        t.producer = undefined;
        // A connect still in flight is disconnected once it completes: nothing leaks.
        await producer?.then((p) => p.disconnect()).catch(() => {});
      }),
    );
  }
}

async function connectedProducer(cluster: ClusterConnection): Promise<Producer> {
  const producer = createKafka(cluster, { retry: { retries: 2, maxRetryTime: 2_000 } }).producer({
    allowAutoTopicCreation: false,
  });
  await producer.connect();
  return producer;
}
