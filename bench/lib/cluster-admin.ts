// Topic set-up, clean-up and end offsets on the benchmark's clusters (kafkajs admin); copy timing.
import { type Admin, Kafka, logLevel } from "kafkajs";

export class BenchAdmin {
  private constructor(
    readonly bootstrap: string,
    private readonly admin: Admin,
  ) {}

  static async connect(bootstrap: string): Promise<BenchAdmin> {
    const admin = new Kafka({
      clientId: "mirrordeck-bench",
      brokers: [bootstrap],
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    return new BenchAdmin(bootstrap, admin);
  }

  async createTopics(
    topics: string[],
    partitions: number,
    configs: Record<string, string> = {},
  ): Promise<void> {
    for (let i = 0; i < topics.length; i += 100) {
      await this.admin.createTopics({
        topics: topics.slice(i, i + 100).map((topic) => ({
          topic,
          numPartitions: partitions,
          replicationFactor: 1,
          configEntries: Object.entries(configs).map(([name, value]) => ({ name, value })),
        })),
        // kafkajs's own wait gives up on a hundred topics at once (metadata lags creation).
        waitForLeaders: false,
      });
    }
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        const { topics: meta } = await this.admin.fetchTopicMetadata({ topics });
        if (meta.every((t) => t.partitions.length === partitions && t.partitions.every((p) => p.leader >= 0)))
          return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
      }
      if (Date.now() > deadline)
        throw new Error(`new topics on ${this.bootstrap} have no leaders after 60 s`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** Deletes every topic except `keep` and Kafka's own, and waits until they are gone. */
  async deleteAllExcept(keep: Set<string>): Promise<void> {
    const doomed = (await this.admin.listTopics()).filter((t) => !keep.has(t) && !t.startsWith("__"));
    for (let i = 0; i < doomed.length; i += 100) {
      await this.admin.deleteTopics({ topics: doomed.slice(i, i + 100), timeout: 30_000 });
    }
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const left = new Set(await this.admin.listTopics());
      if (!doomed.some((t) => left.has(t))) return;
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`topics still present on ${this.bootstrap} a minute after their deletion`);
  }

  /** Sum of log-end offsets over `topics`; a topic not there yet counts 0. */
  async endOffsetSum(topics: string[]): Promise<number> {
    const sums = await Promise.all(
      topics.map((topic) =>
        this.admin.fetchTopicOffsets(topic).then(
          (offsets) => offsets.reduce((a, o) => a + Number(o.high), 0),
          () => 0,
        ),
      ),
    );
    return sums.reduce((a, b) => a + b, 0);
  }

  async close(): Promise<void> {
    await this.admin.disconnect();
  }
}

export interface CopyTiming {
  /** When the first copied record was seen on the target (epoch ms). */
  firstAt: number;
  /** When the target held every record (epoch ms). */
  lastAt: number;
}

/**
 * The first record's arrival, from polls of [time, offsets written]: c1 / rate before the first
 * poll that saw c1 records, at the rate from that poll to the next (never before the empty poll
 * ahead of it). A copy that fell between two polls is given the whole interval.
 */
export function firstRecordAt(polls: [number, number][], first: number): number {
  const [t0] = polls[first - 1]!;
  const [t1, c1] = polls[first]!;
  const next = polls[first + 1];
  if (!next) return t0;
  const firstRate = (next[1] - c1) / (next[0] - t1);
  return firstRate > 0 ? Math.max(t0, t1 - c1 / firstRate) : t1;
}
