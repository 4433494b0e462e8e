import type { PartitionState } from "@mirrordeck/contracts";
import type { Consumer } from "kafkajs";
import type { EngineLogger } from "../engine-logger.ts";
import type { FlowRunnerEvent } from "../flow-events.ts";
import { type CodecName, type DecodeWatcher, runWatched } from "./decode-watch.ts";
import { registerCodecs } from "./register-codecs.ts";

/**
 * Per-topic containment of record batches the engine cannot decode (a codec it lacks — lz4, zstd —
 * or a codec that failed on the data).
 *
 * How it works:
 * 1. The codecs (see register-codecs.ts) turn an undecodable batch, inside a watched fetch, into a
 *    "partition data ends here" for kafkajs: that partition yields nothing from the batch on, its
 *    fetch position stays put, and every other partition of the fetch is delivered as usual. The
 *    consumer never fails, so the rest of the flow keeps copying. The codec also tells this
 *    flow's watcher (an AsyncLocalStorage scope around `consumer.run()`) that it happened — but a
 *    codec sees bytes only, not which topic they belong to.
 * 2. The watcher then finds the topic by group testing, touching only partitions that are not
 *    copying anyway: over one fetch cycle it notes which partitions deliver records; the others
 *    (stuck ones, and idle ones) are suspects. It pauses the suspects and checks that the reports
 *    stop, then resumes them topic by topic in halves (a resumed half that reports again holds a
 *    culprit; a quiet half stays resumed). A culprit is confirmed both ways (reports when resumed,
 *    silence when paused) so a report from elsewhere cannot blame the wrong topic; an unclear
 *    round is simply repeated.
 * 3. A culprit topic is paused (`consumer.pause([{ topic }])`) for the runner's life, its
 *    partitions are put in the "error" state with a message naming the cluster, topic and codec,
 *    and a `topic.error` event is emitted once. Its positions stay on the first undecodable
 *    batch, so nothing is skipped; restarting the flow (e.g. after a codec was added) tries again.
 */

export type WatchedConsumer = Pick<Consumer, "on" | "pause" | "resume" | "paused" | "events">;

/** The part of a runner's partition progress that the quarantine writes. */
export interface FlowPartitionState {
  readonly topic: string;
  state: PartitionState;
  error: string | null;
}

export interface CodecQuarantineHooks {
  sourceAlias(): string;
  /** The runner's partitions, once its current claim of the assignment has settled. */
  partitions(): Promise<Iterable<FlowPartitionState>>;
  emit(event: FlowRunnerEvent): void;
  log(): EngineLogger;
}

export interface TopicCodecError {
  topic: string;
  codec: CodecName;
  message: string;
}

export interface QuarantineTiming {
  /** A probe window ends after one full fetch cycle of every active broker, or after this long. */
  windowTimeoutMs: number;
  /** Brokers that started a fetch this recently are waited for. */
  activeNodeMs: number;
  /** Rounds tried before giving up for `cooldownMs`. */
  maxRounds: number;
  cooldownMs: number;
}

export const DEFAULT_QUARANTINE_TIMING: QuarantineTiming = {
  windowTimeoutMs: 5_000,
  activeNodeMs: 2_000,
  maxRounds: 6,
  cooldownMs: 10_000,
};

export function unreadableCodecMessage(sourceAlias: string, topic: string, codec: CodecName): string {
  return `Records on ${sourceAlias} topic ${topic} use ${codec} compression, which this engine cannot read yet`;
}

export function undecodableBatchMessage(
  sourceAlias: string,
  topic: string,
  codec: CodecName,
  reason: string,
): string {
  return `Records on ${sourceAlias} topic ${topic} use ${codec} compression, which this engine could not decode: ${reason}`;
}

export class CodecQuarantine {
  private readonly quarantined = new Map<string, TopicCodecError>();
  private session: WatchSession | null = null;

  constructor(
    private readonly hooks: CodecQuarantineHooks,
    private readonly timing: QuarantineTiming = DEFAULT_QUARANTINE_TIMING,
  ) {
    registerCodecs();
  }

  /**
   * Watches `consumer` and runs `start` (its `run()`) so that the batches it cannot decode are
   * reported here. Call it for each new consumer, before it joins its group; topics already in
   * error are paused again on every join.
   */
  watch<T>(consumer: WatchedConsumer, start: () => T): T {
    this.session?.close();
    const session = new WatchSession(this, consumer, this.timing);
    this.session = session;
    return runWatched(session, start);
  }

  /** Topics paused because of their compression, with the message shown for their partitions. */
  get topicsInError(): TopicCodecError[] {
    return [...this.quarantined.values()];
  }

  /** @internal */
  isQuarantined(topic: string): boolean {
    return this.quarantined.has(topic);
  }

  /** @internal */
  quarantine(consumer: WatchedConsumer, culprit: Culprit, probe: { ms: number; windows: number }): void {
    consumer.pause([{ topic: culprit.topic }]);
    if (this.quarantined.has(culprit.topic)) return;
    const alias = this.hooks.sourceAlias();
    const message =
      culprit.reason === null
        ? unreadableCodecMessage(alias, culprit.topic, culprit.codec)
        : undecodableBatchMessage(alias, culprit.topic, culprit.codec, culprit.reason);
    this.quarantined.set(culprit.topic, { topic: culprit.topic, codec: culprit.codec, message });
    this.mark(culprit.topic);
    this.hooks.emit({
      kind: "topic.error",
      message,
      details: {
        topic: culprit.topic,
        codec: culprit.codec,
        reason: culprit.reason ?? "codec not available",
        partitions: culprit.partitions,
        probeMs: probe.ms,
        probeWindows: probe.windows,
      },
    });
  }

  /** @internal Puts (again) the partitions of a quarantined topic in the error state. */
  mark(topic: string): void {
    const entry = this.quarantined.get(topic);
    if (!entry) return;
    this.hooks
      .partitions()
      .then((partitions) => {
        for (const p of partitions) {
          if (p.topic !== topic) continue;
          p.state = "error";
          p.error = entry.message;
        }
      })
      .catch((error) =>
        this.hooks.log().warn({ err: String(error), topic }, "could not mark topic in error"),
      );
  }

  /** @internal */
  get log(): EngineLogger {
    return this.hooks.log();
  }
}

interface Unit {
  topic: string;
  partitions: number[];
}

interface Culprit extends Unit {
  codec: CodecName;
  /** null: no codec; else why the codec failed. */
  reason: string | null;
}

const INCONCLUSIVE = Symbol("inconclusive");

/** One fetch cycle of every active broker: what was reported and which partitions delivered. */
class ProbeWindow {
  signals = 0;
  readonly delivered = new Set<string>();
  private readonly codecs = new Map<CodecName, { count: number; reason: string | null }>();
  private readonly started = new Set<number>();
  private readonly fetched = new Set<number>();
  private readonly done = new Set<number>();

  constructor(
    private readonly nodes: ReadonlySet<number>,
    readonly end: () => void,
  ) {}

  signal(codec: CodecName, reason: string | null): void {
    this.signals += 1;
    const seen = this.codecs.get(codec);
    this.codecs.set(codec, { count: (seen?.count ?? 0) + 1, reason: reason ?? seen?.reason ?? null });
  }

  /** The codec reported most in this window. */
  dominant(): { codec: CodecName; reason: string | null } {
    let best: { codec: CodecName; count: number; reason: string | null } | null = null;
    for (const [codec, { count, reason }] of this.codecs) {
      if (!best || count > best.count) best = { codec, count, reason };
    }
    return best ?? { codec: "lz4", reason: null };
  }

  fetchStart(node: number): void {
    // A fetch that started after the window opened has been decoded and its batches handled.
    if (this.fetched.has(node)) this.done.add(node);
    else this.started.add(node);
    const complete =
      this.nodes.size === 0 ? this.done.size > 0 : [...this.nodes].every((n) => this.done.has(n));
    if (complete) this.end();
  }

  fetchEnd(node: number): void {
    if (this.started.has(node)) this.fetched.add(node);
  }
}

/** Watches one consumer; a new consumer gets a new session. */
class WatchSession implements DecodeWatcher {
  private readonly removers: (() => void)[] = [];
  private assignment: Record<string, number[]> = {};
  private readonly fetchStartedAt = new Map<number, number>();
  private readonly windows = new Set<ProbeWindow>();
  /** Partitions paused while probing, to resume when the probe ends. */
  private readonly probing = new Map<string, Set<number>>();
  private generation = 0;
  private investigating = false;
  /** Probe windows opened by the investigation in progress. */
  private windowsOpened = 0;
  private quietUntil = 0;
  private closed = false;

  constructor(
    private readonly owner: CodecQuarantine,
    private readonly consumer: WatchedConsumer,
    private readonly timing: QuarantineTiming,
  ) {
    const { events } = consumer;
    this.removers.push(
      consumer.on(events.GROUP_JOIN, (event) => {
        this.abort();
        this.assignment = event.payload.memberAssignment as Record<string, number[]>;
        for (const topic of Object.keys(this.assignment)) {
          if (!owner.isQuarantined(topic)) continue;
          consumer.pause([{ topic }]);
          owner.mark(topic);
        }
      }),
      consumer.on(events.FETCH_START, (event) => {
        this.fetchStartedAt.set(event.payload.nodeId, Date.now());
        for (const w of this.windows) w.fetchStart(event.payload.nodeId);
      }),
      consumer.on(events.FETCH, (event) => {
        for (const w of this.windows) w.fetchEnd(event.payload.nodeId);
      }),
      consumer.on(events.START_BATCH_PROCESS, (event) => {
        const key = unitKey(event.payload.topic, event.payload.partition);
        for (const w of this.windows) w.delivered.add(key);
      }),
      // A batch of a quarantined topic fetched before the pause may have been copied since, which
      // puts its partition back to "running": mark it again.
      consumer.on(events.END_BATCH_PROCESS, (event) => {
        if (owner.isQuarantined(event.payload.topic)) owner.mark(event.payload.topic);
      }),
      consumer.on(events.CRASH, () => this.abort()),
      consumer.on(events.STOP, () => this.close()),
    );
  }

  undecodable(codec: CodecName, reason: string | null): void {
    if (this.closed) return;
    for (const w of this.windows) w.signal(codec, reason);
    if (this.investigating || Date.now() < this.quietUntil) return;
    this.investigating = true;
    void this.investigate()
      .catch((error) => this.owner.log.warn({ err: String(error) }, "undecodable batch probe failed"))
      .finally(() => {
        this.investigating = false;
      });
  }

  close(): void {
    if (this.closed) return;
    this.abort();
    this.closed = true;
    for (const remove of this.removers) remove();
  }

  /** Ends the probe in progress (rebalance, crash, stop) and resumes what it paused. */
  private abort(): void {
    this.generation += 1;
    for (const w of [...this.windows]) w.end();
    this.releaseAll();
  }

  private async investigate(): Promise<void> {
    const generation = this.generation;
    const live = () => !this.closed && this.generation === generation;
    const startedAt = Date.now();
    this.windowsOpened = 0;
    // Topics already in error are out of the search; make sure they are paused (idempotent).
    for (const topic of Object.keys(this.assignment)) {
      if (this.owner.isQuarantined(topic)) this.consumer.pause([{ topic }]);
    }
    for (let round = 0; round < this.timing.maxRounds; round++) {
      const observed = await this.window();
      if (!live() || observed.signals === 0) return;
      const suspects = this.suspects(observed.delivered);
      if (suspects.length === 0) continue; // the culprit delivered its last readable records; look again
      this.pause(suspects);
      const quiet = await this.window();
      if (!live()) return;
      if (quiet.signals > 0) {
        this.releaseAll(); // reported by a partition that was not a suspect; look again
        continue;
      }
      const found = await this.search(suspects, live);
      if (!live()) return;
      if (found !== INCONCLUSIVE) {
        const probe = { ms: Date.now() - startedAt, windows: this.windowsOpened };
        for (const culprit of found) this.owner.quarantine(this.consumer, culprit, probe);
      }
      this.releaseAll();
    }
    this.quietUntil = Date.now() + this.timing.cooldownMs;
    this.owner.log.warn(
      { rounds: this.timing.maxRounds },
      "undecodable record batches keep arriving but their topic could not be told apart; probing again later",
    );
  }

  /**
   * Finds the units of `units` (all paused on entry) whose partitions report undecodable batches.
   * Quiet units are left resumed, culprits paused.
   */
  private async search(units: Unit[], live: () => boolean): Promise<Culprit[] | typeof INCONCLUSIVE> {
    this.resume(units);
    const tried = await this.window();
    if (!live()) return INCONCLUSIVE;
    if (tried.signals === 0) return [];
    this.pause(units);
    const [only] = units;
    if (units.length === 1 && only) {
      const paused = await this.window();
      if (!live() || paused.signals > 0) return INCONCLUSIVE;
      return [{ ...only, ...tried.dominant() }];
    }
    const half = Math.ceil(units.length / 2);
    const first = await this.search(units.slice(0, half), live);
    if (first === INCONCLUSIVE) return first;
    const second = await this.search(units.slice(half), live);
    if (second === INCONCLUSIVE) return second;
    const found = [...first, ...second];
    return found.length > 0 ? found : INCONCLUSIVE;
  }

  /**
   * Assigned partitions that delivered nothing, grouped by topic. Partitions paused already (by
   * the runner, or quarantined) are not fetched, so they are not suspects — and never resumed here.
   */
  private suspects(delivered: ReadonlySet<string>): Unit[] {
    const paused = new Set<string>();
    for (const { topic, partitions } of this.consumer.paused()) {
      for (const p of partitions) paused.add(unitKey(topic, p));
    }
    const units: Unit[] = [];
    for (const [topic, partitions] of Object.entries(this.assignment)) {
      if (this.owner.isQuarantined(topic)) continue;
      const silent = partitions.filter(
        (p) => !delivered.has(unitKey(topic, p)) && !paused.has(unitKey(topic, p)),
      );
      if (silent.length > 0) units.push({ topic, partitions: silent });
    }
    return units;
  }

  private window(): Promise<ProbeWindow> {
    this.windowsOpened += 1;
    const now = Date.now();
    const nodes = new Set<number>();
    for (const [node, at] of this.fetchStartedAt) if (now - at <= this.timing.activeNodeMs) nodes.add(node);
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const window: ProbeWindow = new ProbeWindow(nodes, () => {
        if (!this.windows.delete(window)) return;
        clearTimeout(timer);
        resolve(window);
      });
      timer = setTimeout(window.end, this.timing.windowTimeoutMs);
      timer.unref?.();
      this.windows.add(window);
    });
  }

  private pause(units: Unit[]): void {
    for (const { topic, partitions } of units) {
      const paused = this.probing.get(topic) ?? new Set<number>();
      this.probing.set(topic, paused);
      for (const p of partitions) paused.add(p);
    }
    this.consumer.pause(units.map(({ topic, partitions }) => ({ topic, partitions })));
  }

  private resume(units: Unit[]): void {
    const resumable = units.filter((u) => !this.owner.isQuarantined(u.topic));
    for (const { topic, partitions } of resumable) {
      const paused = this.probing.get(topic);
      for (const p of partitions) paused?.delete(p);
    }
    if (resumable.length > 0) {
      this.consumer.resume(resumable.map(({ topic, partitions }) => ({ topic, partitions })));
    }
  }

  private releaseAll(): void {
    const units = [...this.probing].map(([topic, partitions]) => ({ topic, partitions: [...partitions] }));
    this.probing.clear();
    this.resume(units.filter((u) => u.partitions.length > 0));
  }
}

function unitKey(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}
