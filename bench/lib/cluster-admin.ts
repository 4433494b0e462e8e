// Topic set-up, clean-up and end-offset polling on the benchmark's clusters (kafkajs admin).
import { type Admin, Kafka, logLevel } from "kafkajs";

export class BenchAdmin {
  private constructor(
    readonly bootstrap: string,
    private readonly admin: Admin,
    /**
     * End offsets only, without retries: kafkajs retries a topic that does not exist yet for
     * seconds, and a poll stuck that long would blur when the first record arrived.
     */
    private readonly poller: Admin,
  ) {}

  static async connect(bootstrap: string): Promise<BenchAdmin> {
    const kafka = (retries?: number) =>
      new Kafka({
        clientId: "mirrordeck-bench",
        brokers: [bootstrap],
        logLevel: logLevel.NOTHING,
        ...(retries !== undefined && { retry: { retries } }),
      });
    const admin = kafka().admin();
    const poller = kafka(0).admin();
    await Promise.all([admin.connect(), poller.connect()]);
    return new BenchAdmin(bootstrap, admin, poller);
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
        this.poller.fetchTopicOffsets(topic).then(
          (offsets) => offsets.reduce((a, o) => a + Number(o.high), 0),
          () => 0,
        ),
      ),
    );
    return sums.reduce((a, b) => a + b, 0);
  }

  async close(): Promise<void> {
    await Promise.all([this.admin.disconnect(), this.poller.disconnect()]);
  }
}

export interface CopyTiming {
  /** When the first copied record was seen on the target (epoch ms). */
  firstAt: number;
  /** When the target held every record (epoch ms). */
  lastAt: number;
}

/**
 * Polls the target until its topics hold `expected` records; estimates when the first and the last
 * arrived by interpolating between polls at the copy rate around them (a poll is stamped at the
 * middle of its request), so a copy shorter than a few polls is not rounded to whole intervals.
 * The same poller times both tools.
 */
export async function watchCopy(
  target: BenchAdmin,
  topics: string[],
  expected: number,
  options: {
    timeoutMs: number;
    intervalMs: number;
    onProgress: (copied: number) => void;
    alive: () => string | null;
  },
): Promise<CopyTiming> {
  const started = Date.now();
  /** Every poll: [time, records on the target]. */
  const polls: [number, number][] = [[started, 0]];
  let first = 0; // index of the first poll that saw records
  let lastReport = 0;
  for (;;) {
    const askedAt = Date.now();
    const copied = await target.endOffsetSum(topics);
    const now = Date.now();
    polls.push([(askedAt + now) / 2, copied]);
    if (first === 0 && copied > 0) first = polls.length - 1;
    if (copied >= expected) return interpolate(polls, first, expected);
    if (now - lastReport > 2_000) {
      options.onProgress(copied);
      lastReport = now;
    }
    const dead = options.alive();
    if (dead) throw new Error(dead);
    if (now - started > options.timeoutMs) {
      throw new Error(
        `only ${copied} of ${expected} records reached the target in ${options.timeoutMs / 1000} s`,
      );
    }
    await new Promise((r) => setTimeout(r, options.intervalMs));
  }
}

/**
 * First record: c1 / rate before the first poll that saw c1 records, at the rate from that poll to
 * the next (never before the empty poll). Last record: when the target reached `expected` at the
 * rate of the interval before the final poll. A copy that fell between two polls is given the
 * whole interval (its rate is understated, never overstated).
 */
/** See interpolate: the first record, from the first poll that saw records and the next one. */
export function firstRecordAt(polls: [number, number][], first: number): number {
  const [t0] = polls[first - 1]!;
  const [t1, c1] = polls[first]!;
  const next = polls[first + 1];
  if (!next) return t0;
  const firstRate = (next[1] - c1) / (next[0] - t1);
  return firstRate > 0 ? Math.max(t0, t1 - c1 / firstRate) : t1;
}

function interpolate(polls: [number, number][], first: number, expected: number): CopyTiming {
  const n = polls.length - 1;
  const [tn] = polls[n]!;
  if (first === n) return { firstAt: polls[n - 1]![0], lastAt: tn };
  const rateBetween = (i: number) => (polls[i + 1]![1] - polls[i]![1]) / (polls[i + 1]![0] - polls[i]![0]);
  const firstAt = firstRecordAt(polls, first);
  const [tBefore, cBefore] = polls[n - 1]!;
  const lastRate = n - 2 >= first ? rateBetween(n - 2) : 0;
  const lastAt = lastRate > 0 ? Math.min(tn, tBefore + (expected - cBefore) / lastRate) : tn;
  return { firstAt, lastAt };
}
