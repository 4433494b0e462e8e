import type { FlowLeaderStatus, GroupCheckpointStatus } from "@mirrordeck/contracts";
import { type ClusterConnection, createKafka } from "@mirrordeck/kafka";
import {
  type Checkpoint,
  DefaultGroupFilter,
  decodeCheckpoint,
  decodeOffsetSync,
  encodeCheckpointKey,
  encodeCheckpointValue,
  HEARTBEATS_TOPIC,
  OffsetSyncStore,
  offsetSyncsTopicPlacement,
  type ReplicationPolicy,
  retainedOffsetSyncHistory,
} from "@mirrordeck/mm2";
import type { Consumer, Producer } from "kafkajs";
import type { EngineLogger } from "../engine-logger.ts";
import type { FlowRunnerEvent } from "../flow-events.ts";
import type { FlowSpec } from "../flow-spec.ts";
import { describeKafkaError } from "../kafka-error-text.ts";
import { readTopicToEnd } from "../kafkajs/read-topic-to-end.ts";
import type { ClusterAdmin } from "../ports/cluster-admin.ts";
import { ensureInternalTopic } from "../topics/internal-topic.ts";
import {
  checkpointKey,
  type GroupCommit,
  type OffsetsByPartition,
  planCheckpoints,
  type WrittenCheckpoint,
} from "./checkpoint-planner.ts";
import { syncGroupOffsets } from "./group-offset-sync.ts";
import { HeartbeatEmitter } from "./heartbeat-emitter.ts";
import { ReplicatedHeartbeatWatch } from "./replicated-heartbeat-watch.ts";

export interface FlowLeaderDeps {
  spec: FlowSpec;
  policy: ReplicationPolicy;
  owner: string;
  sourceAdmin: ClusterAdmin;
  targetAdmin: ClusterAdmin;
  /** Source topics the flow replicates right now. */
  replicatedTopics: () => readonly string[];
  log: EngineLogger;
  emit: (event: FlowRunnerEvent) => void;
  onStatus?: (status: FlowLeaderStatus) => void;
}

/** Internal groups of MirrorDeck itself are never checkpointed, whatever `groups` says. */
const OWN_GROUP_PREFIX = "__mirrordeck.";

/**
 * The per-flow work MM2 runs in one task each — MirrorCheckpointConnector (checkpoints, group
 * offset sync) and MirrorHeartbeatConnector — done by exactly one of the flow's workers: the
 * leader. Every worker of the flow joins the consumer group `__mirrordeck.<flowId>.leader` on
 * the flow's one-partition offset-syncs topic; whoever Kafka assigns that partition to leads,
 * reads the topic into its offset-sync store (from the beginning, history kept) and, once it has
 * read it to the end, translates. A dead leader's partition moves to another worker after the
 * session timeout, as copy partitions do.
 */
export class FlowLeader {
  private readonly syncsTopic: string;
  private readonly syncsCluster: ClusterConnection;
  private readonly checkpointsTopic: string;
  private readonly groupFilter: DefaultGroupFilter;
  private consumer: Consumer | undefined;
  private checkpointProducer: Producer | undefined;
  private readonly heartbeats: HeartbeatEmitter | undefined;
  private watch: ReplicatedHeartbeatWatch | undefined;
  private store = newStore();
  private syncsEnd: number | null = null;
  private syncsReadUpTo = 0;
  private leading = false;
  private leadership: Promise<void> = Promise.resolve();
  private written = new Map<string, WrittenCheckpoint>();
  private writtenLoaded = false;
  private groups: string[] = [];
  private groupsRefreshedAt = 0;
  private groupStatus = new Map<string, GroupCheckpointStatus>();
  private readonly skippedActive = new Set<string>();
  private checkpointsWritten = 0;
  private lastRunAt: number | null = null;
  private lastError: string | null = null;
  private timers: NodeJS.Timeout[] = [];
  private running: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly deps: FlowLeaderDeps) {
    const { spec, policy } = deps;
    const placement = offsetSyncsTopicPlacement(
      policy,
      { sourceClusterAlias: spec.source.alias, targetClusterAlias: spec.target.alias },
      spec.offsetSyncsTopicLocation,
    );
    this.syncsTopic = placement.topic;
    this.syncsCluster = placement.cluster === "source" ? spec.source : spec.target;
    this.checkpointsTopic = policy.checkpointsTopic(spec.source.alias);
    this.groupFilter = new DefaultGroupFilter({
      groups: spec.groupsInclude,
      groupsExclude: spec.groupsExclude,
    });
    if (spec.emitHeartbeats) {
      this.heartbeats = new HeartbeatEmitter(
        { cluster: spec.source, admin: deps.sourceAdmin },
        { cluster: spec.target, admin: deps.targetAdmin },
      );
    }
  }

  /** Creates the heartbeats topics, so the first topic listing already includes the source's. */
  async prepareTopics(): Promise<void> {
    const { spec } = this.deps;
    const admin = this.syncsCluster === spec.source ? this.deps.sourceAdmin : this.deps.targetAdmin;
    await ensureInternalTopic(this.syncsCluster, admin, this.syncsTopic);
    if (spec.emitCheckpoints)
      await ensureInternalTopic(spec.target, this.deps.targetAdmin, this.checkpointsTopic);
    await this.heartbeats?.prepareTopics();
  }

  async start(): Promise<void> {
    const { spec } = this.deps;
    const consumer = createKafka(this.syncsCluster, {
      retry: { retries: 10, maxRetryTime: 10_000 },
    }).consumer({
      groupId: `${OWN_GROUP_PREFIX}${spec.flowId}.leader`,
      sessionTimeout: 10_000,
      heartbeatInterval: 1_000,
      rebalanceTimeout: 20_000,
      maxWaitTimeInMs: 500,
      allowAutoTopicCreation: false,
    });
    consumer.on(consumer.events.GROUP_JOIN, (event) => {
      const assignment = event.payload.memberAssignment as Record<string, number[]>;
      const leads = assignment[this.syncsTopic]?.includes(0) ?? false;
      // Every (re)assignment reads the topic again from its start: kafkajs resumes from the
      // (never committed) group offset, i.e. the beginning.
      this.store = newStore();
      this.syncsEnd = null;
      this.syncsReadUpTo = 0;
      this.leadership = this.leadership
        .then(() => (leads ? this.lead() : this.resign()))
        .catch((error) => {
          this.deps.log.warn({ err: String(error) }, "leadership change failed");
        });
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [this.syncsTopic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch, isStale }) => {
        if (isStale()) return;
        for (const message of batch.messages) {
          try {
            this.store.handleOffsetSync(decodeOffsetSync(message));
          } catch (error) {
            this.deps.log.warn(
              { err: String(error), offset: message.offset },
              "unreadable offset sync skipped",
            );
          }
        }
        this.syncsReadUpTo = Number(batch.lastOffset()) + 1;
        this.checkReadToEnd();
      },
    });
    this.consumer = consumer;
    this.every(spec.emitHeartbeatsIntervalMs, async () => {
      if (this.leading && this.heartbeats) await this.heartbeats.emit();
    });
    this.every(spec.emitCheckpointsIntervalMs, () => this.exclusive(() => this.checkpointOnce()));
    if (spec.syncGroupOffsets) {
      this.every(spec.syncGroupOffsetsIntervalMs, () => this.exclusive(() => this.syncGroupOffsetsOnce()));
    }
    this.every(spec.metricsIntervalMs, async () => {
      await this.watch?.ensureStarted();
      this.publishStatus();
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    await this.running.catch(() => {});
    await this.consumer?.disconnect().catch(() => {});
    await this.resign();
  }

  /** True while this worker leads the flow. */
  get isLeader(): boolean {
    return this.leading;
  }

  // ── Leadership ────────────────────────────────────────────────────────────────────────────

  private async lead(): Promise<void> {
    if (this.stopped) return;
    const { spec, policy } = this.deps;
    const offsets = await (this.syncsCluster === spec.source
      ? this.deps.sourceAdmin
      : this.deps.targetAdmin
    ).partitionOffsets(this.syncsTopic);
    const end = offsets.find((o) => o.partition === 0);
    this.syncsEnd = end === undefined || end.high <= end.low ? 0 : end.high;
    this.checkReadToEnd();
    if (!this.leading) {
      this.leading = true;
      this.deps.log.info({ topic: this.syncsTopic }, "leading the flow's checkpoints and heartbeats");
      if (spec.emitHeartbeats && this.watch === undefined) {
        this.watch = new ReplicatedHeartbeatWatch(
          spec.target,
          this.deps.targetAdmin,
          policy.formatRemoteTopic(spec.source.alias, HEARTBEATS_TOPIC),
          `${OWN_GROUP_PREFIX}${spec.flowId}.heartbeat-watch`,
        );
        await this.watch.ensureStarted().catch(() => {});
      }
    }
    // Another worker may have led in between: its checkpoints are the baseline now.
    this.writtenLoaded = false;
    if (spec.emitCheckpoints) await this.loadWrittenCheckpoints();
  }

  private async resign(): Promise<void> {
    if (!this.leading) return;
    this.leading = false;
    await this.watch?.close();
    this.watch = undefined;
    await this.heartbeats?.close();
    await this.checkpointProducer?.disconnect().catch(() => {});
    this.checkpointProducer = undefined;
    this.groupStatus.clear();
  }

  private checkReadToEnd(): void {
    if (this.syncsEnd !== null && !this.store.isReadToEnd && this.syncsReadUpTo >= this.syncsEnd) {
      this.store.markReadToEnd();
      const { partitions, syncs } = this.store.size;
      this.deps.log.info({ partitions, syncs }, "offset-syncs topic read to its end");
    }
  }

  /** The last checkpoint per key, so checkpoints stay monotonic across restarts and leaders. */
  private async loadWrittenCheckpoints(): Promise<void> {
    const written = new Map<string, WrittenCheckpoint>();
    await readTopicToEnd(
      createKafka(this.deps.spec.target),
      this.checkpointsTopic,
      (record) => {
        try {
          const c = decodeCheckpoint(record);
          written.set(checkpointKey(c.consumerGroupId, c.topic, c.partition), {
            upstreamOffset: c.upstreamOffset,
            downstreamOffset: c.downstreamOffset,
            at: Number(record.timestamp),
          });
        } catch (error) {
          this.deps.log.warn({ err: String(error) }, "unreadable checkpoint skipped");
        }
      },
      { groupPrefix: `${OWN_GROUP_PREFIX}${this.deps.spec.flowId}.reader` },
    );
    this.written = written;
    this.writtenLoaded = true;
  }

  // ── Checkpoints ───────────────────────────────────────────────────────────────────────────

  private async checkpointOnce(): Promise<void> {
    const { spec, sourceAdmin, targetAdmin } = this.deps;
    if (!this.leading || !spec.emitCheckpoints) return;
    if (!this.writtenLoaded) await this.loadWrittenCheckpoints();
    if (!this.store.isReadToEnd) return;
    try {
      const topics = [...this.deps.replicatedTopics()];
      const now = Date.now();
      if (now - this.groupsRefreshedAt >= spec.refreshGroupsIntervalMs || this.groupsRefreshedAt === 0) {
        this.groups = (await sourceAdmin.listGroups())
          .filter((g) => !g.startsWith(OWN_GROUP_PREFIX) && this.groupFilter.shouldReplicateGroup(g))
          .sort();
        this.groupsRefreshedAt = now;
      }
      const commitsByGroup = new Map<string, GroupCommit[]>();
      if (topics.length > 0) {
        for (const group of this.groups) {
          const commits: GroupCommit[] = [];
          for (const t of await sourceAdmin.fetchGroupOffsets(group, topics)) {
            for (const p of t.partitions) commits.push({ topic: t.topic, ...p });
          }
          // Only groups with committed offsets on replicated topics count (MM2).
          if (commits.length > 0) commitsByGroup.set(group, commits);
        }
      }
      const sourceOffsets: OffsetsByPartition = new Map();
      const targetOffsets: OffsetsByPartition = new Map();
      const remote = (t: string) => this.deps.policy.formatRemoteTopic(spec.source.alias, t);
      const commitTopics = new Set([...commitsByGroup.values()].flatMap((cs) => cs.map((c) => c.topic)));
      for (const topic of commitTopics) {
        sourceOffsets.set(topic, byPartition(await sourceAdmin.partitionOffsets(topic)));
        targetOffsets.set(remote(topic), byPartition(await targetAdmin.partitionOffsets(remote(topic))));
      }
      const toWrite: Checkpoint[] = [];
      const statuses = new Map<string, GroupCheckpointStatus>();
      for (const [group, commits] of commitsByGroup) {
        const plan = planCheckpoints({
          group,
          commits,
          store: this.store,
          remoteTopic: remote,
          sourceOffsets,
          targetOffsets,
          written: this.written,
        });
        toWrite.push(...plan.checkpoints);
        const previous = this.groupStatus.get(group);
        statuses.set(group, {
          group,
          targetState: previous?.targetState ?? null,
          offsetSync: previous?.offsetSync ?? (spec.syncGroupOffsets ? "up-to-date" : "disabled"),
          offsetSyncError: previous?.offsetSyncError ?? null,
          partitions: plan.partitions,
        });
      }
      if (toWrite.length > 0) await this.writeCheckpoints(toWrite);
      this.groupStatus = statuses;
      this.lastRunAt = Date.now();
      this.lastError = null;
    } catch (error) {
      this.lastError = describeKafkaError(error, spec.target.alias);
      this.deps.log.warn({ err: String(error) }, "checkpoint round failed; will retry");
    }
  }

  private async writeCheckpoints(checkpoints: Checkpoint[]): Promise<void> {
    if (this.checkpointProducer === undefined) {
      const producer = createKafka(this.deps.spec.target).producer({
        allowAutoTopicCreation: false,
        idempotent: true,
        maxInFlightRequests: 1,
      });
      await producer.connect();
      this.checkpointProducer = producer;
    }
    await this.checkpointProducer.send({
      topic: this.checkpointsTopic,
      acks: -1,
      messages: checkpoints.map((c) => ({
        partition: 0,
        key: encodeCheckpointKey(c),
        value: encodeCheckpointValue(c),
      })),
    });
    const at = Date.now();
    for (const c of checkpoints) {
      this.written.set(checkpointKey(c.consumerGroupId, c.topic, c.partition), {
        upstreamOffset: c.upstreamOffset,
        downstreamOffset: c.downstreamOffset,
        at,
      });
    }
    this.checkpointsWritten += checkpoints.length;
  }

  // ── Group offset sync ─────────────────────────────────────────────────────────────────────

  private async syncGroupOffsetsOnce(): Promise<void> {
    if (!this.leading || this.groupStatus.size === 0) return;
    const outcomes = await syncGroupOffsets({
      targetAdmin: this.deps.targetAdmin,
      groups: [...this.groupStatus.keys()],
      written: this.written,
    });
    for (const outcome of outcomes) {
      const status = this.groupStatus.get(outcome.group);
      if (status === undefined) continue;
      status.targetState = outcome.targetState;
      status.offsetSync = outcome.outcome;
      status.offsetSyncError = outcome.error;
      if (outcome.outcome === "skipped-active" && !this.skippedActive.has(outcome.group)) {
        this.skippedActive.add(outcome.group);
        this.deps.emit({
          kind: "group.sync-skipped",
          message: `${outcome.group} has active members on ${this.deps.spec.target.alias}: its offsets there were left alone.`,
          details: { group: outcome.group },
        });
      } else if (outcome.outcome !== "skipped-active") {
        this.skippedActive.delete(outcome.group);
      }
      if (outcome.outcome === "synced") {
        this.deps.emit({
          kind: "group.offsets-synced",
          message: `${outcome.group}: ${outcome.partitions} offset(s) moved forward on ${this.deps.spec.target.alias}`,
          details: { group: outcome.group, partitions: outcome.partitions },
        });
      }
    }
  }

  // ── Status and plumbing ───────────────────────────────────────────────────────────────────

  private publishStatus(): void {
    if (!this.leading || !this.deps.onStatus) return;
    const { spec } = this.deps;
    const { partitions, syncs } = this.store.size;
    this.deps.onStatus({
      flowId: spec.flowId,
      workerId: this.deps.owner,
      at: new Date().toISOString(),
      offsetSyncs: {
        topic: this.syncsTopic,
        readToEnd: this.store.isReadToEnd,
        partitions,
        syncsKept: syncs,
      },
      checkpoints: {
        enabled: spec.emitCheckpoints,
        topic: this.checkpointsTopic,
        lastRunAt: this.lastRunAt === null ? null : new Date(this.lastRunAt).toISOString(),
        lastError: this.lastError,
        written: this.checkpointsWritten,
      },
      heartbeats: {
        enabled: spec.emitHeartbeats,
        lastEmittedAt:
          this.heartbeats?.lastEmittedAt == null
            ? null
            : new Date(this.heartbeats.lastEmittedAt).toISOString(),
        emitError: this.heartbeats?.emitError ?? null,
        replicatedTopic: this.deps.policy.formatRemoteTopic(spec.source.alias, HEARTBEATS_TOPIC),
        lastReplicatedTimestamp: this.watch?.lastReplicatedTimestamp ?? null,
        watchingSince: this.watch?.watchingSince ?? null,
      },
      groups: [...this.groupStatus.values()],
    });
  }

  /** Checkpoint rounds and group syncs never overlap (both read and write `written`). */
  private exclusive(task: () => Promise<void>): Promise<void> {
    const run = this.running.then(task);
    this.running = run.catch(() => {});
    return run;
  }

  private every(ms: number, task: () => Promise<void>): void {
    const timer = setInterval(() => {
      if (this.stopped) return;
      task().catch((error) => this.deps.log.warn({ err: String(error) }, "leader task failed"));
    }, ms);
    timer.unref?.();
    this.timers.push(timer);
  }
}

function newStore(): OffsetSyncStore {
  return new OffsetSyncStore({ createHistory: retainedOffsetSyncHistory() });
}

function byPartition(offsets: { partition: number; low: number; high: number }[]) {
  return new Map(offsets.map((o) => [o.partition, o]));
}
