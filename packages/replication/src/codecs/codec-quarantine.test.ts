import { EventEmitter } from "node:events";
import type { PartitionState } from "@mirrordeck/contracts";
import { describe, expect, it } from "vitest";
import type { FlowRunnerEvent } from "../flow-events.ts";
import {
  CodecQuarantine,
  type FlowPartitionState,
  unreadableCodecMessage,
  type WatchedConsumer,
} from "./codec-quarantine.ts";
import { type CodecName, currentDecodeWatcher } from "./decode-watch.ts";

type Behaviour = "data" | "idle" | CodecName;

interface SimPartition {
  topic: string;
  partition: number;
  /** What a fetch of this partition gives; a function to change over time (fetch count → behaviour). */
  behaviour: Behaviour | ((fetch: number) => Behaviour);
}

const EVENTS = {
  GROUP_JOIN: "group_join",
  FETCH_START: "fetch_start",
  FETCH: "fetch",
  START_BATCH_PROCESS: "start_batch_process",
  END_BATCH_PROCESS: "end_batch_process",
  CRASH: "crash",
  STOP: "stop",
} as const;

/**
 * A consumer whose fetch loop (one broker) decodes its unpaused partitions as kafkajs would: an
 * undecodable partition reports to the decode watcher of the async scope that started run(),
 * a partition with data is delivered (batch events). Pauses follow kafkajs's rules.
 */
class SimulatedConsumer {
  readonly events = EVENTS;
  private readonly emitter = new EventEmitter();
  private readonly pausedAll = new Set<string>();
  private readonly pausedKeys = new Set<string>();
  private readonly resumedExceptions = new Set<string>();
  private running = false;
  fetches = 0;
  /** Fetches in which each partition was paused. */
  readonly pausedFetches = new Map<string, number>();
  delivered = new Map<string, number>();

  constructor(readonly partitions: SimPartition[]) {}

  on(name: string, listener: (event: { payload: unknown }) => void): () => void {
    const l = (payload: unknown) => listener({ payload });
    this.emitter.on(name, l);
    return () => this.emitter.off(name, l);
  }

  pause(tps: { topic: string; partitions?: number[] }[]): void {
    for (const { topic, partitions } of tps) {
      if (!partitions) {
        this.pausedAll.add(topic);
        for (const k of [...this.pausedKeys, ...this.resumedExceptions])
          if (k.startsWith(`${topic}/`)) this.drop(k);
      } else for (const p of partitions) this.pausedKeys.add(`${topic}/${p}`);
    }
  }

  resume(tps: { topic: string; partitions?: number[] }[]): void {
    for (const { topic, partitions } of tps) {
      if (!partitions) {
        this.pausedAll.delete(topic);
        continue;
      }
      for (const p of partitions) {
        this.pausedKeys.delete(`${topic}/${p}`);
        if (this.pausedAll.has(topic)) this.resumedExceptions.add(`${topic}/${p}`);
      }
    }
  }

  paused(): { topic: string; partitions: number[] }[] {
    const byTopic = new Map<string, number[]>();
    for (const p of this.partitions) {
      if (!this.isPaused(p.topic, p.partition)) continue;
      byTopic.set(p.topic, [...(byTopic.get(p.topic) ?? []), p.partition]);
    }
    return [...byTopic].map(([topic, partitions]) => ({ topic, partitions }));
  }

  isPaused(topic: string, partition: number): boolean {
    const key = `${topic}/${partition}`;
    if (this.pausedAll.has(topic)) return !this.resumedExceptions.has(key);
    return this.pausedKeys.has(key);
  }

  async run(): Promise<void> {
    this.running = true;
    this.join();
    const loop = () => {
      if (!this.running) return;
      this.fetchOnce();
      setTimeout(loop, 1);
    };
    setTimeout(loop, 1);
  }

  join(): void {
    const assignment: Record<string, number[]> = {};
    for (const p of this.partitions) assignment[p.topic] = [...(assignment[p.topic] ?? []), p.partition];
    this.emitter.emit(EVENTS.GROUP_JOIN, { memberAssignment: assignment });
  }

  stop(): void {
    this.running = false;
    this.emitter.emit(EVENTS.STOP, {});
  }

  private fetchOnce(): void {
    this.fetches += 1;
    this.emitter.emit(EVENTS.FETCH_START, { nodeId: 1 });
    const deliver: SimPartition[] = [];
    for (const p of this.partitions) {
      const key = `${p.topic}/${p.partition}`;
      if (this.isPaused(p.topic, p.partition)) {
        this.pausedFetches.set(key, (this.pausedFetches.get(key) ?? 0) + 1);
        continue;
      }
      const b = typeof p.behaviour === "function" ? p.behaviour(this.fetches) : p.behaviour;
      if (b === "data") deliver.push(p);
      else if (b !== "idle") currentDecodeWatcher()?.undecodable(b, null);
    }
    this.emitter.emit(EVENTS.FETCH, { nodeId: 1 });
    for (const p of deliver) {
      const key = `${p.topic}/${p.partition}`;
      this.delivered.set(key, (this.delivered.get(key) ?? 0) + 1);
      this.emitter.emit(EVENTS.START_BATCH_PROCESS, { topic: p.topic, partition: p.partition });
      this.emitter.emit(EVENTS.END_BATCH_PROCESS, { topic: p.topic, partition: p.partition });
    }
  }

  private drop(key: string): void {
    this.pausedKeys.delete(key);
    this.resumedExceptions.delete(key);
  }
}

function setup(partitions: SimPartition[]) {
  const consumer = new SimulatedConsumer(partitions);
  const progress: FlowPartitionState[] = partitions.map((p) => ({
    topic: p.topic,
    partition: p.partition,
    state: "running" as PartitionState,
    error: null,
  }));
  const events: FlowRunnerEvent[] = [];
  const quarantine = new CodecQuarantine(
    {
      sourceAlias: () => "east",
      partitions: async () => progress,
      emit: (e) => events.push(e),
      log: () => ({ debug: () => {}, info: () => {}, warn: () => {}, error: () => {} }),
    },
    { windowTimeoutMs: 1_000, activeNodeMs: 1_000, maxRounds: 6, cooldownMs: 200 },
  );
  return { consumer, progress, events, quarantine };
}

async function until(condition: () => boolean, ms = 5_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > ms) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 5));
  }
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

function partitionsOf(topic: string, count: number, behaviour: SimPartition["behaviour"]): SimPartition[] {
  return Array.from({ length: count }, (_, partition) => ({ topic, partition, behaviour }));
}

describe("CodecQuarantine", () => {
  it("finds the unreadable topics among many, pauses only them, and never pauses a copying partition", async () => {
    const sim = setup([
      ...partitionsOf("busy", 4, "data"),
      ...Array.from({ length: 20 }, (_, i) => partitionsOf(`idle-${i}`, 2, "idle")).flat(),
      ...partitionsOf("lz4-topic", 3, "lz4"),
      ...partitionsOf("zstd-topic", 1, "zstd"),
      // Readable records first, then an lz4 batch: the partition copies, then gets stuck.
      { topic: "mixed", partition: 0, behaviour: (fetch) => (fetch < 40 ? "data" : "lz4") },
      { topic: "mixed", partition: 1, behaviour: "data" },
    ]);
    const { consumer, events, progress, quarantine } = sim;
    await quarantine.watch(consumer as unknown as WatchedConsumer, () => consumer.run());
    await until(() => events.length === 3);
    await settle(100);
    consumer.stop();

    expect(events.map((e) => e.message).sort()).toEqual(
      [
        unreadableCodecMessage("east", "lz4-topic", "lz4"),
        unreadableCodecMessage("east", "mixed", "lz4"),
        unreadableCodecMessage("east", "zstd-topic", "zstd"),
      ].sort(),
    );
    expect(events.every((e) => e.kind === "topic.error")).toBe(true);
    for (const p of progress) {
      const bad = ["lz4-topic", "zstd-topic", "mixed"].includes(p.topic);
      expect(p.state, `${p.topic}-${(p as { partition?: number }).partition}`).toBe(
        bad ? "error" : "running",
      );
    }
    // Only the quarantined topics stay paused; the busy partitions were never paused.
    for (const p of consumer.partitions) {
      const bad = ["lz4-topic", "zstd-topic", "mixed"].includes(p.topic);
      expect(consumer.isPaused(p.topic, p.partition), `${p.topic}-${p.partition}`).toBe(bad);
    }
    for (let i = 0; i < 4; i++) expect(consumer.pausedFetches.get(`busy/${i}`) ?? 0).toBe(0);
    expect(quarantine.topicsInError.map((t) => t.topic).sort()).toEqual(["lz4-topic", "mixed", "zstd-topic"]);
  });

  it("leaves partitions paused by someone else alone", async () => {
    const { consumer, events, quarantine } = setup([
      ...partitionsOf("plain", 2, "data"),
      ...partitionsOf("not-owned", 2, "idle"),
      ...partitionsOf("lz4-topic", 1, "lz4"),
    ]);
    await quarantine.watch(consumer as unknown as WatchedConsumer, () => {
      consumer.pause([{ topic: "not-owned", partitions: [1] }]); // e.g. the runner: another worker owns it
      return consumer.run();
    });
    await until(() => events.length === 1);
    await settle(50);
    consumer.stop();
    expect(consumer.isPaused("not-owned", 1)).toBe(true);
    expect(consumer.isPaused("not-owned", 0)).toBe(false);
    expect(consumer.isPaused("lz4-topic", 0)).toBe(true);
    expect(consumer.fetches).toBeGreaterThan(0);
    // Paused before the probe started and never resumed by it.
    expect(consumer.pausedFetches.get("not-owned/1")).toBe(consumer.fetches);
  });

  it("pauses the quarantined topics again after a rejoin and marks their partitions again", async () => {
    const { consumer, events, progress, quarantine } = setup([
      ...partitionsOf("plain", 2, "data"),
      ...partitionsOf("lz4-topic", 2, "lz4"),
    ]);
    await quarantine.watch(consumer as unknown as WatchedConsumer, () => consumer.run());
    await until(() => events.length === 1);
    // A new consumer (the runner recreated it): fresh pause state, fresh partition progress.
    consumer.stop();
    const next = new SimulatedConsumer(consumer.partitions);
    for (const p of progress) p.state = "running";
    await quarantine.watch(next as unknown as WatchedConsumer, () => next.run());
    await until(() => progress.filter((p) => p.state === "error").length === 2);
    await settle(100);
    next.stop();
    expect(next.isPaused("lz4-topic", 0) && next.isPaused("lz4-topic", 1)).toBe(true);
    expect(next.isPaused("plain", 0) || next.isPaused("plain", 1)).toBe(false);
    expect(events).toHaveLength(1);
  });

  it("blames no topic when the reports come from a partition that keeps copying", async () => {
    // Reports arrive, but from no partition that can be paused alone (here: a partition that
    // also delivers every time): nothing may be quarantined.
    const { consumer, events, quarantine } = setup([
      ...partitionsOf("plain", 2, "data"),
      ...partitionsOf("idle", 2, "idle"),
    ]);
    const noisy: SimPartition = { topic: "noisy", partition: 0, behaviour: "data" };
    consumer.partitions.push(noisy);
    const original = consumer.on.bind(consumer);
    // Every fetch: one lz4 report that no pause can silence.
    consumer.on = (name, listener) =>
      original(name, (event) => {
        if (name === EVENTS.FETCH_START) currentDecodeWatcher()?.undecodable("lz4", null);
        listener(event);
      });
    await quarantine.watch(consumer as unknown as WatchedConsumer, () => consumer.run());
    await settle(600);
    consumer.stop();
    expect(events).toEqual([]);
    for (const p of consumer.partitions) expect(consumer.isPaused(p.topic, p.partition)).toBe(false);
  });
});
