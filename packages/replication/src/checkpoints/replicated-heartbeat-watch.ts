import { type ClusterConnection, createKafka } from "@mirrordeck/kafka";
import type { Consumer } from "kafkajs";
import type { ClusterAdmin } from "../ports/cluster-admin.ts";

/**
 * Follows the source's heartbeats as replicated onto the target (`<source>.heartbeats`) and
 * remembers the newest one's timestamp: the flow's end-to-end health signal. A heartbeat only
 * gets there through the data plane, so this goes stale when replication stops, whatever the
 * workers believe. Starts reading at the topic's end; waits for the topic to exist.
 */
export class ReplicatedHeartbeatWatch {
  lastReplicatedTimestamp: number | null = null;
  readonly watchingSince = Date.now();
  private consumer: Consumer | undefined;
  private starting = false;
  private closed = false;

  constructor(
    private readonly target: ClusterConnection,
    private readonly targetAdmin: ClusterAdmin,
    readonly topic: string,
    private readonly groupId: string,
  ) {}

  /** Starts following once the topic exists; call again later until it does. */
  async ensureStarted(): Promise<void> {
    if (this.consumer || this.starting || this.closed) return;
    this.starting = true;
    try {
      const counts = await this.targetAdmin.partitionCounts([this.topic]);
      if (!counts.has(this.topic)) return;
      const consumer = createKafka(this.target).consumer({
        groupId: this.groupId,
        maxWaitTimeInMs: 500,
        allowAutoTopicCreation: false,
      });
      consumer.on(consumer.events.CRASH, (event) => {
        // kafkajs gave up on it: follow again on the next ensureStarted().
        if (!event.payload.restart && this.consumer === consumer) {
          this.consumer = undefined;
          void consumer.disconnect().catch(() => {});
        }
      });
      try {
        await consumer.connect();
        await consumer.subscribe({ topics: [this.topic], fromBeginning: false });
        await consumer.run({
          autoCommit: false,
          eachBatch: async ({ batch }) => {
            for (const message of batch.messages) {
              const timestamp = Number(message.timestamp);
              if (this.lastReplicatedTimestamp === null || timestamp > this.lastReplicatedTimestamp) {
                this.lastReplicatedTimestamp = timestamp;
              }
            }
          },
        });
      } catch (error) {
        await consumer.disconnect().catch(() => {});
        throw error;
      }
      this.consumer = consumer;
      if (this.closed) await consumer.disconnect().catch(() => {});
    } finally {
      this.starting = false;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.consumer?.disconnect().catch(() => {});
  }
}
