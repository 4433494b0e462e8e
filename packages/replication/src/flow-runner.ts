import type { FlowLeaderStatus, FlowMetricsSnapshot, PartitionMetrics } from "@mirrordeck/contracts";
import { createKafka } from "@mirrordeck/kafka";
import {
  DefaultConfigPropertyFilter,
  offsetSyncsTopicPlacement,
  type ReplicationPolicy,
} from "@mirrordeck/mm2";
import type { Batch, Consumer, EachBatchPayload, Producer } from "kafkajs";
import { FlowLeader } from "./checkpoints/flow-leader.ts";
import { CodecQuarantine } from "./codecs/codec-quarantine.ts";
import { registerCodecs } from "./codecs/register-codecs.ts";
import { CoalescingSender } from "./copy/coalescing-sender.ts";
import { PartitionProgress, partitionKey } from "./copy/partition-progress.ts";
import { toProduceChunks } from "./copy/produce-chunks.ts";
import { markOf } from "./copy/record-mark.ts";
import { taskAssigner } from "./copy/task-assigner.ts";
import { type EngineLogger, silentLogger } from "./engine-logger.ts";
import { eosTaskAssigner } from "./eos/eos-task-assigner.ts";
import { ExactlyOnceTasks } from "./eos/exactly-once-tasks.ts";
import { positionsTopic } from "./eos/position-records.ts";
import { isFencedError } from "./eos/task-transaction.ts";
import type { FlowHealth, FlowRunnerEvent } from "./flow-events.ts";
import { type FlowSpec, sourceGroupId } from "./flow-spec.ts";
import { describeKafkaError } from "./kafka-error-text.ts";
import { beforeGroupJoin, onFetchError } from "./kafkajs/consumer-group-hooks.ts";
import { installFastProduceRequest } from "./kafkajs/fast-produce-request.ts";
import { createKafkajsClusterAdmin } from "./kafkajs/kafkajs-cluster-admin.ts";
import { installLazyRecordBatchDecoder, LazyRecord } from "./kafkajs/lazy-record-batch.ts";
import { OffsetSyncPublisher } from "./offset-syncs/offset-sync-publisher.ts";
import type { AclAdmin } from "./ports/acl-admin.ts";
import type { ClusterAdmin } from "./ports/cluster-admin.ts";
import type { PositionStore, SourcePartition, SourceWatermark } from "./ports/position-store.ts";
import { ensureInternalTopic } from "./topics/internal-topic.ts";
import { syncTargetTopics } from "./topics/target-topic-sync.ts";
import { TopicDriftTracker } from "./topics/topic-drift.ts";
import { flowReplicationPolicy, selectTopics } from "./topics/topic-selection.ts";

export interface FlowRunnerDeps {
  positions: PositionStore;
  /** This worker's identity in position ownership. */
  owner: string;
  log?: EngineLogger;
  onMetrics?: (snapshot: FlowMetricsSnapshot) => void;
  onEvent?: (event: FlowRunnerEvent) => void;
  onHealth?: (health: FlowHealth, reason: string | null) => void;
  /** Partitions this runner took ownership of (start, rebalance, takeover), counted per claim. */
  onPartitionsClaimed?: (count: number) => void;
  /** The flow's checkpoint and heartbeat status, while this worker leads them. */
  onLeaderStatus?: (status: FlowLeaderStatus) => void;
}

/** A partition counts as catching up while this far behind. */
const CATCHING_UP_RECORDS = 1_000;
const CATCHING_UP_SECONDS = 30;
const LOG_END_REFRESH_MS = 10_000;
/** Selected topics whose remote topic could not be made ready are tried again after this, doubling. */
const UNREADY_RETRY_FIRST_MS = 10_000;
/** Longest a stop waits for each of its phases (finish the batch, commit, disconnect). */
const STOP_PHASE_MS = 10_000;

/** Waits for `work` (its failure ignored) but no longer than `ms`. */
function settleWithin(work: Promise<unknown> | undefined, ms: number): Promise<void> {
  if (work === undefined) return Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    work.then(
      () => {},
      () => {},
    ),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
/** The later of two resume offsets, either of which may be unknown (undefined / null). */
function furthest(a: number | undefined, b: number | null): number | null {
  if (a === undefined) return b;
  return b === null ? a : Math.max(a, b);
}

/** The target wrote a chunk at an offset below one it had already acknowledged. */
class RemotePartitionReset extends Error {
  constructor(
    remoteTopic: string,
    partition: number,
    targetAlias: string,
    readonly lastDownstreamOffset: number,
    readonly baseOffset: number,
    readonly records: number,
  ) {
    super(
      `${remoteTopic}-${partition} on ${targetAlias} was deleted or emptied while the flow ran (its offsets went back from ${lastDownstreamOffset} to ${baseOffset}).`,
    );
  }
}

function kafkaErrorText(error: unknown): string {
  const { type, cause } = error as { type?: string; cause?: { type?: string } };
  return `${type ?? ""} ${cause?.type ?? ""} ${String(error)}`;
}
/** A fetched record's timestamp in ms (a LazyRecord has it as a number already). */
function timestampOf(record: Batch["messages"][number]): number {
  return record instanceof LazyRecord ? record.timestampMs : Number(record.timestamp);
}
const TARGET_PRODUCERS = 4;
const QUIET_SYNC_MIN_INTERVAL_MS = 10_000;
/** The target says the remote topic (or this partition of it) does not exist. */
const REMOTE_TOPIC_MISSING =
  /UNKNOWN_TOPIC_OR_PARTITION|does not host this topic-partition|UNKNOWN_TOPIC_ID/i;
/** A record dated this far ahead of the worker's clock says nothing about latency: left out. */
const FUTURE_TIMESTAMP_TOLERANCE_MS = 60_000;
const PRODUCER_STATE_LOST =
  /OUT_OF_ORDER_SEQUENCE_NUMBER|out of order sequence|UNKNOWN_PRODUCER_ID|INVALID_PRODUCER_EPOCH|producer.*fenced/i;

// gzip and snappy are read; a topic whose batches cannot be decoded (lz4, zstd) is put in error alone.
registerCodecs();

/**
 * Runs one flow in this worker, as MM2's MirrorSourceConnector + MirrorSourceTask do: selects
 * topics, creates and syncs remote topics, copies the partitions Kafka's group protocol gives
 * this worker (partition for partition, key/value/headers/timestamp kept), writes positions
 * (fenced) and offset syncs, and reports metrics, health and events.
 *
 * Delivery is at-least-once: a position only moves past records the target acknowledged, and
 * positions are written every `commitIntervalMs`, so a crash re-copies at most that window.
 */
export class FlowRunner {
  private readonly log: EngineLogger;
  private readonly policy: ReplicationPolicy;
  private readonly partitions = new Map<string, PartitionProgress>();
  private sourceAdmin!: ClusterAdmin & AclAdmin;
  private targetAdmin!: ClusterAdmin & AclAdmin;
  /**
   * Idempotent kafkajs producers allow one request in flight each, so partitions are spread over
   * a few of them to keep several produce requests in flight (order per partition is kept: a
   * partition always uses the same producer).
   */
  private producers: Producer[] = [];
  /** One per producer: chunks waiting while a request is in flight go together in the next one. */
  private senders: CoalescingSender[] = [];
  private readonly reconnecting = new Map<number, Promise<void>>();
  /** Source topics whose remote topic is being checked (and re-created) after the target lost it. */
  private readonly remoteChecks = new Map<string, Promise<void>>();
  /** Exactly-once mode (ADR 0015): the tasks held, their transactions and senders. */
  private eos: ExactlyOnceTasks | undefined;
  /** Set while a commit ends the task transactions: no batch is handed to a sender meanwhile. */
  private eosGate: Promise<void> | null = null;
  /** Exactly-once: each partition's last copied record as of its committed position. */
  private readonly eosCommittedMarks = new Map<string, PartitionProgress["lastCopied"]>();
  /** Exactly-once: each partition's position as last committed on the target. */
  private readonly eosCommittedOffsets = new Map<string, number>();
  /**
   * Exactly-once: partitions restarted after a reset (remote topic lost, source log replaced)
   * whose new position the target does not hold yet: the next transaction writes it even when
   * nothing was copied since, and until then an abort rewinds to it, not to the old log's.
   */
  private readonly eosRestarted = new Set<string>();
  private offsetSyncProducer: Producer | undefined;
  private offsetSyncs: OffsetSyncPublisher | undefined;
  private leader: FlowLeader | undefined;
  private leaderStarting: Promise<void> | undefined;
  private consumer: Consumer | undefined;
  private topics: string[] = [];
  private partitionCounts = new Map<string, number>();
  private readonly topicDrift = new TopicDriftTracker();
  private claims: Promise<void> = Promise.resolve();
  private assignment: Record<string, number[]> = {};
  /** Partitions paused because another worker owns them; resumed on the next assignment. */
  private readonly pausedAsNotOwned = new Set<string>();
  private timers: NodeJS.Timeout[] = [];
  private committing: Promise<void> = Promise.resolve();
  private stopped = false;
  /** Set while handing partitions back: no new batch is sent, so the final positions are final. */
  private draining = false;
  /** eachBatch calls under way (they return once their batch is handed to a sender). */
  private readonly batchesInProgress = new Set<Promise<void>>();
  private unhookGroup: () => void = () => {};
  private health: FlowHealth = "STARTING";
  private healthReason: string | null = null;
  private sendError: string | null = null;
  private lastMetricsAt = Date.now();
  private refreshing = false;
  /** Next retry of selected topics that are not ready to copy (0: all are ready). */
  private unreadyRetryAt = 0;
  private unreadyRetryMs = 0;
  private readonly codecs = new CodecQuarantine({
    sourceAlias: () => this.spec.source.alias,
    partitions: () => this.claims.catch(() => {}).then(() => this.partitions.values()),
    emit: (event) => this.emit(event),
    log: () => this.log,
  });

  constructor(
    readonly spec: FlowSpec,
    private readonly deps: FlowRunnerDeps,
  ) {
    this.log = deps.log ?? silentLogger;
    this.policy = flowReplicationPolicy(spec);
  }

  /** Connects, prepares target topics and joins the flow's source group. */
  async start(): Promise<void> {
    const { spec } = this;
    // Fetched records are not decoded, only framed, and forwarded into produce requests encoded in
    // one pass into one buffer (lazy-record-batch.ts, fast-produce-request.ts).
    installLazyRecordBatchDecoder();
    installFastProduceRequest();
    this.sourceAdmin = createKafkajsClusterAdmin(spec.source);
    this.targetAdmin = createKafkajsClusterAdmin(spec.target);
    if (spec.emitOffsetSyncs) await this.startOffsetSyncs();
    if (spec.exactlyOnce) {
      // Producers are the tasks' transactional ones, opened when tasks are assigned (claim).
      this.eos = new ExactlyOnceTasks({
        target: spec.target,
        sourceAlias: spec.source.alias,
        flowId: spec.flowId,
        tasksMax: spec.tasksMax,
        offsetSyncsTopic: this.offsetSyncs?.topic ?? "",
        log: this.log,
      });
      await ensureInternalTopic(spec.target, this.targetAdmin, positionsTopic(spec.source.alias));
    } else {
      this.producers = Array.from({ length: TARGET_PRODUCERS }, () => this.createProducer());
      await Promise.all(this.producers.map((p) => p.connect()));
      this.senders = this.producers.map((_, i) => new CoalescingSender(() => this.producers[i]!));
    }
    // Topic ACL sync runs in the leader too; a flow emitting neither checkpoints nor heartbeats has
    // no leader (nor the rights one needs), so it syncs no ACLs either.
    if (spec.emitCheckpoints || spec.emitHeartbeats) {
      this.leader = new FlowLeader({
        spec,
        policy: this.policy,
        owner: this.deps.owner,
        positions: this.deps.positions,
        sourceAdmin: this.sourceAdmin,
        targetAdmin: this.targetAdmin,
        replicatedTopics: () => this.topics,
        log: this.log,
        emit: (event) => this.emit(event),
        ...(this.deps.onLeaderStatus && { onStatus: this.deps.onLeaderStatus }),
      });
      // Checkpoints and heartbeats must never keep the copy from running.
      await this.leader.prepareTopics().catch((error) => this.leaderFailed("prepare its topics", error));
    }
    await this.refreshTopics("start");
    // In the background: joining the leader group must not hold up commits (it retries by itself).
    this.leaderStarting = this.leader?.start().catch((error) => this.leaderFailed("start", error));
    this.every(spec.commitIntervalMs, async () => {
      await this.commit();
      await this.recordWatermarks();
    });
    this.every(spec.metricsIntervalMs, () => this.publishMetrics());
    this.every(spec.refreshTopicsIntervalMs, () => this.refreshTopics("interval"));
    this.every(UNREADY_RETRY_FIRST_MS / 2, async () => {
      if (this.unreadyRetryAt > 0 && Date.now() >= this.unreadyRetryAt) await this.refreshTopics("retry");
    });
    // Also with config sync off: remote topics are still created and grown (as MM2 does on its
    // topic refresh), and configs that differ are reported as drift.
    this.every(spec.syncTopicConfigsIntervalMs, async () => {
      await this.syncTopics(this.topics);
    });
    this.every(spec.offsetSyncFlushIntervalMs, async () => this.queueDelayedOffsetSyncs());
    this.every(LOG_END_REFRESH_MS, () => this.refreshLogEndOffsets());
    this.emit({ kind: "flow.started", message: `Flow started on ${this.deps.owner}` });
    if (this.health === "STARTING") this.setHealth("RUNNING", null);
  }

  /**
   * Stops copying, writes final positions and offset syncs, and leaves the group cleanly. Each
   * phase is bounded: with a cluster gone (a failover's very case) kafkajs would retry for minutes,
   * and a paused flow must not hold up the worker's other flows.
   */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    // Let the batches in flight finish and write their positions while still in the group: a clean
    // handover, no duplicates. (kafkajs's stop() leaves the group at once, and the next owner
    // would claim the partitions before this worker's last positions are written.)
    await this.drainCopies();
    this.unhookGroup();
    this.queueDelayedOffsetSyncs();
    await settleWithin(
      this.commit().catch((error) => this.log.warn({ err: String(error) }, "final commit failed")),
      STOP_PHASE_MS,
    );
    await settleWithin(this.eos?.closeAll(), STOP_PHASE_MS);
    await Promise.all([
      settleWithin(this.consumer?.disconnect(), STOP_PHASE_MS),
      settleWithin(
        this.leader?.stop().catch((error) => this.log.warn({ err: String(error) }, "leader stop failed")),
        STOP_PHASE_MS,
      ),
      settleWithin(this.leaderStarting, STOP_PHASE_MS),
      ...this.producers.map((p) => settleWithin(p.disconnect(), STOP_PHASE_MS)),
      settleWithin(this.offsetSyncProducer?.disconnect(), STOP_PHASE_MS),
      settleWithin(this.sourceAdmin?.close(), STOP_PHASE_MS),
      settleWithin(this.targetAdmin?.close(), STOP_PHASE_MS),
    ]);
    this.emit({ kind: "flow.stopped", message: `Flow stopped on ${this.deps.owner}` });
  }

  /** Re-reads the source's topics now (the flow was edited, or an operator asked). */
  refreshTopicsNow(): Promise<void> {
    return this.refreshTopics("request");
  }

  // ── Topics ────────────────────────────────────────────────────────────────────────────────

  private async startOffsetSyncs(): Promise<void> {
    const placement = offsetSyncsTopicPlacement(
      this.policy,
      { sourceClusterAlias: this.spec.source.alias, targetClusterAlias: this.spec.target.alias },
      this.spec.offsetSyncsTopicLocation,
    );
    const cluster = placement.cluster === "source" ? this.spec.source : this.spec.target;
    const admin = placement.cluster === "source" ? this.sourceAdmin : this.targetAdmin;
    await ensureInternalTopic(cluster, admin, placement.topic);
    this.offsetSyncProducer = createKafka(cluster).producer({
      allowAutoTopicCreation: false,
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await this.offsetSyncProducer.connect();
    this.offsetSyncs = new OffsetSyncPublisher(this.offsetSyncProducer, placement.topic);
  }

  private async refreshTopics(reason: "start" | "interval" | "request" | "retry"): Promise<void> {
    if (this.stopped || this.refreshing) return;
    this.refreshing = true;
    try {
      const all = await this.sourceAdmin.listTopics();
      const selected = selectTopics(all, this.spec, this.policy);
      const counts = await this.sourceAdmin.partitionCounts(selected);
      const changed =
        selected.length !== this.topics.length ||
        selected.some((t, i) => t !== this.topics[i] || counts.get(t) !== this.partitionCounts.get(t));
      if (!changed && this.consumer) return;
      const ok = await this.syncTopics(selected);
      this.topicDrift.keepOnly(selected);
      this.scheduleUnreadyRetry(ok.length < selected.length);
      const sameReady =
        ok.length === this.topics.length &&
        ok.every((t, i) => t === this.topics[i] && counts.get(t) === this.partitionCounts.get(t));
      this.topics = ok;
      this.partitionCounts = counts;
      // A retry that made nothing new ready must not rejoin the group (a rebalance every time).
      if (sameReady && this.consumer) return;
      this.emit({
        kind: "topics.selected",
        message: `${ok.length} topic(s) selected (${reason})`,
        details: { topics: ok.slice(0, 100), count: ok.length },
      });
      await this.restartConsumer();
    } catch (error) {
      this.setHealth("ERROR", describeKafkaError(error, this.spec.source.alias));
      this.log.error({ err: String(error) }, "topic refresh failed");
    } finally {
      this.refreshing = false;
    }
  }

  /**
   * Topics whose remote topic could not be created or grown are tried again soon (10 s, doubling
   * up to the refresh interval) rather than at the next refresh, up to ten minutes away.
   */
  private scheduleUnreadyRetry(unready: boolean): void {
    if (!unready) {
      this.unreadyRetryAt = 0;
      this.unreadyRetryMs = 0;
      return;
    }
    this.unreadyRetryMs = Math.min(
      this.unreadyRetryMs === 0 ? UNREADY_RETRY_FIRST_MS : this.unreadyRetryMs * 2,
      this.spec.refreshTopicsIntervalMs,
    );
    this.unreadyRetryAt = Date.now() + this.unreadyRetryMs;
  }

  /** Creates/grows/syncs remote topics; returns the topics that are ready to copy. */
  private async syncTopics(topics: string[]): Promise<string[]> {
    if (topics.length === 0) return [];
    const outcomes = await syncTargetTopics({
      source: this.sourceAdmin,
      target: this.targetAdmin,
      sourceAlias: this.spec.source.alias,
      topics,
      remoteName: (t) => this.policy.formatRemoteTopic(this.spec.source.alias, t),
      replicationFactor: this.spec.replicationFactor,
      configFilter: new DefaultConfigPropertyFilter(
        this.spec.configPropertiesExclude === undefined
          ? {}
          : { configPropertiesExclude: this.spec.configPropertiesExclude },
      ),
      syncConfigs: this.spec.syncTopicConfigs,
    });
    for (const drift of this.topicDrift.record(outcomes)) {
      this.emit({
        kind: "topic.drift",
        message: `${drift.remoteTopic} is out of step with ${drift.topic}: ${drift.reason}`,
        details: { ...drift },
      });
    }
    const ready: string[] = [];
    for (const o of outcomes) {
      if (o.error) {
        this.emit({
          kind: "topic.error",
          message: `${o.topic} → ${o.remoteTopic}: ${o.error.message}`,
          details: { ...o.error },
        });
        continue;
      }
      ready.push(o.topic);
      if (o.configError) {
        this.emit({
          kind: "topic.error",
          message: `${o.remoteTopic}: configs not synced: ${o.configError.message}`,
          details: { ...o.configError },
        });
      }
      if (o.created)
        this.emit({
          kind: "topic.created",
          message: `Created ${o.remoteTopic} on ${this.spec.target.alias}`,
        });
      if (o.partitionsAddedTo !== undefined) {
        this.emit({
          kind: "topic.partitions-added",
          message: `${o.remoteTopic} grown to ${o.partitionsAddedTo} partitions`,
        });
      }
      if (o.configsUpdated.length > 0) {
        this.emit({
          kind: "topic.configs-synced",
          message: `${o.remoteTopic}: synced ${o.configsUpdated.join(", ")}`,
        });
      }
    }
    return ready;
  }

  // ── Consumer group and copy loop ──────────────────────────────────────────────────────────

  private async restartConsumer(): Promise<void> {
    if (this.consumer) {
      // Positions first, group after: see stop().
      await this.drainCopies();
      await this.commit().catch(() => {});
      await this.consumer.disconnect().catch(() => {});
      this.consumer = undefined;
      this.partitions.clear();
      this.draining = false;
    }
    if (this.stopped || this.topics.length === 0) {
      const why =
        this.unreadyRetryAt > 0
          ? "no selected topic is ready on the target yet (the flow events say why); trying again"
          : "no topic matches the flow's patterns yet";
      this.setHealth("RUNNING", this.topics.length === 0 ? why : null);
      return;
    }
    const consumer = createKafka(this.spec.source, { retry: { retries: 10, maxRetryTime: 10_000 } }).consumer(
      {
        groupId: sourceGroupId(this.spec.flowId),
        partitionAssigners: [
          this.spec.exactlyOnce ? eosTaskAssigner(this.spec.tasksMax) : taskAssigner(this.spec.tasksMax),
        ],
        sessionTimeout: 10_000,
        heartbeatInterval: 1_000,
        rebalanceTimeout: 20_000,
        maxBytesPerPartition: 1_048_576,
        maxWaitTimeInMs: 250,
        allowAutoTopicCreation: false,
      },
    );
    consumer.on(consumer.events.GROUP_JOIN, (event) => {
      this.assignment = event.payload.memberAssignment as Record<string, number[]>;
      if (this.pausedAsNotOwned.size > 0) {
        consumer.resume(
          [...this.pausedAsNotOwned].map((key) => {
            const [topic, partition] = key.split("\u0000") as [string, string];
            return { topic, partitions: [Number(partition)] };
          }),
        );
        this.pausedAsNotOwned.clear();
      }
      this.claims = this.serialized(() => this.claim(this.assignment));
    });
    // Before every (re)join: partitions may move to another worker, which starts from the stored
    // positions, so the batches sent so far must land and their positions be written first.
    this.unhookGroup();
    const groupId = sourceGroupId(this.spec.flowId);
    const unhookJoin = beforeGroupJoin(groupId, () => this.settleBeforeRejoin());
    // A fetch that failed (partition unknown, out of range, leader moved) may be the moment a topic
    // was deleted and created again: every partition proves its source before copying on.
    const unhookFetch = onFetchError(groupId, () => {
      for (const p of this.partitions.values()) p.requireContinuityCheck();
    });
    this.unhookGroup = () => {
      unhookJoin();
      unhookFetch();
    };
    consumer.on(consumer.events.CRASH, (event) => {
      // Target failures never reach the consumer (sendFailed handles them): this is the source.
      const reason = describeKafkaError(event.payload.error, this.spec.source.alias);
      this.setHealth("ERROR", reason);
      this.log.error(
        { err: String(event.payload.error), restart: event.payload.restart },
        "source consumer crashed",
      );
    });
    await consumer.connect();
    // fromBeginning: an unknown or out-of-range position falls back to the log start, never the end,
    // so a retention gap is the only way records can be skipped (and it is reported).
    await consumer.subscribe({ topics: this.topics, fromBeginning: true });
    await this.codecs.watch(consumer, () =>
      consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: 4,
        eachBatch: (payload) => this.trackBatch(this.copyBatch(payload)),
      }),
    );
    this.consumer = consumer;
  }

  private trackBatch(work: Promise<void>): Promise<void> {
    this.batchesInProgress.add(work);
    return work.finally(() => this.batchesInProgress.delete(work));
  }

  /**
   * Stops copying without leaving the group: fetching is paused, no further batch is sent, and
   * every batch already sent is acknowledged (or failed and rewound). Bounded by STOP_PHASE_MS.
   */
  private async drainCopies(): Promise<void> {
    this.draining = true;
    if (this.consumer && this.topics.length > 0) {
      this.consumer.pause(this.topics.map((topic) => ({ topic })));
    }
    await settleWithin(Promise.all([...this.batchesInProgress]), STOP_PHASE_MS);
    await settleWithin(this.sendsSettled(), STOP_PHASE_MS);
  }

  private async settleBeforeRejoin(): Promise<void> {
    if (this.stopped) return;
    this.draining = true;
    try {
      await settleWithin(Promise.all([...this.batchesInProgress]), STOP_PHASE_MS);
      await settleWithin(this.sendsSettled(), STOP_PHASE_MS);
      await this.commit();
      // kafkajs rejoins when a fetch finds a partition unknown (deleted, maybe created again under
      // the same name): partitions kept across the rejoin prove their source first.
      for (const p of this.partitions.values()) p.requireContinuityCheck();
    } finally {
      if (!this.stopped) this.draining = false;
    }
  }

  /** Takes over newly assigned partitions: bumps their fencing epoch and learns where to resume. */
  private async claim(assignment: Record<string, number[]>): Promise<void> {
    const wanted: SourcePartition[] = [];
    for (const [topic, partitions] of Object.entries(assignment)) {
      for (const partition of partitions) wanted.push({ topic, partition });
    }
    const keep = new Set(wanted.map((p) => partitionKey(p.topic, p.partition)));
    for (const key of this.partitions.keys()) if (!keep.has(key)) this.partitions.delete(key);
    // Exactly-once: the tasks are opened first (fencing their earlier holders), then the positions
    // committed on the target are read; they, not Postgres's copy, say where to resume.
    if (this.eos) await this.eos.hold(assignment);
    if (wanted.length === 0) return;
    const committed = this.eos ? await this.eos.readPositions() : null;
    let claimed = await this.deps.positions.claim(this.spec.flowId, this.deps.owner, wanted);
    if (committed !== null) {
      // The target's positions say where to resume; Postgres's is further only when it was
      // written by at-least-once copying (the flow ran in that mode since, or before it ever ran
      // exactly once): everything before it is on the target, so it is not copied again.
      claimed = claimed.map((c) => ({
        ...c,
        nextOffset: furthest(committed.get(partitionKey(c.topic, c.partition)), c.nextOffset),
      }));
      const starts = await this.eosStarts(claimed.filter((c) => c.nextOffset === null));
      claimed = claimed.map((c) => ({
        ...c,
        nextOffset: c.nextOffset ?? starts.get(partitionKey(c.topic, c.partition)) ?? null,
      }));
    }
    const latest =
      this.spec.startPosition === "LATEST"
        ? await this.logEnds(claimed.filter((c) => c.nextOffset === null))
        : null;
    let taken = 0;
    for (const c of claimed) {
      const key = partitionKey(c.topic, c.partition);
      const kept = this.partitions.get(key);
      if (kept && !kept.fenced) {
        // Still ours across the rebalance: memory is ahead of the store; only the epoch moves.
        kept.epoch = c.epoch;
        continue;
      }
      taken += 1;
      const next = c.nextOffset ?? latest?.get(key) ?? null;
      const progress = new PartitionProgress(
        c.topic,
        c.partition,
        this.policy.formatRemoteTopic(this.spec.source.alias, c.topic),
        next,
        c.epoch,
        this.spec.offsetLagMax,
      );
      if (c.nextOffset === null && next !== null) progress.committedOffset = null; // write the chosen start
      progress.lastCopied = committed !== null ? null : (c.lastCopied ?? null);
      if (committed !== null) {
        this.eosCommittedMarks.set(key, null);
        this.eosRestarted.delete(key);
        if (next !== null) this.eosCommittedOffsets.set(key, next);
        else this.eosCommittedOffsets.delete(key);
      }
      progress.requireContinuityCheck();
      this.partitions.set(key, progress);
    }
    this.log.info({ partitions: claimed.length, taken }, "claimed partitions");
    this.deps.onPartitionsClaimed?.(taken);
  }

  /** Exactly-once: where partitions without a committed position start (log start or end). */
  private async eosStarts(partitions: SourcePartition[]): Promise<Map<string, number>> {
    const result = new Map<string, number>();
    for (const topic of new Set(partitions.map((p) => p.topic))) {
      for (const o of await this.sourceAdmin.partitionOffsets(topic)) {
        result.set(partitionKey(topic, o.partition), this.spec.startPosition === "LATEST" ? o.high : o.low);
      }
    }
    return result;
  }

  private async logEnds(partitions: SourcePartition[]): Promise<Map<string, number>> {
    const result = new Map<string, number>();
    for (const topic of new Set(partitions.map((p) => p.topic))) {
      for (const o of await this.sourceAdmin.partitionOffsets(topic))
        result.set(partitionKey(topic, o.partition), o.high);
    }
    return result;
  }

  private async copyBatch({ batch, isRunning, isStale, resolveOffset }: EachBatchPayload): Promise<void> {
    if (!isRunning() || isStale() || this.draining) return;
    // A claim that failed (Postgres unreachable) is retried here; until it succeeds nothing is copied.
    await this.claims.catch(() => {
      this.claims = this.serialized(() => this.claim(this.assignment));
      return this.claims;
    });
    const progress = this.partitions.get(partitionKey(batch.topic, batch.partition));
    if (!progress || progress.fenced) {
      // Not ours (any more): stop fetching it until the next assignment instead of spinning on it.
      this.consumer?.pause([{ topic: batch.topic, partitions: [batch.partition] }]);
      this.pausedAsNotOwned.add(partitionKey(batch.topic, batch.partition));
      return;
    }
    // Known before the batch in flight lands, so that the lag noted when it lands counts this batch.
    progress.logEndOffset = Number(batch.highWatermark);
    // One batch in flight per partition: the previous one is acknowledged (or failed and rewound)
    // before this one is checked and sent, so memory stays bounded and order is kept.
    await progress.inFlight;
    if (!isRunning() || isStale() || progress.fenced || this.draining) return;
    // kafkajs went back by itself: it starts from the log start after a rejoin (nothing is
    // committed to the group) and after an out-of-range fetch, as on a topic created again.
    if (
      progress.nextOffset !== null &&
      fetchedOffsetOf(batch) < progress.nextOffset &&
      !progress.continuityCheck
    ) {
      progress.requireContinuityCheck();
    }
    if (progress.continuityCheck && !(await this.sourceContinuesOrWarn(batch, progress))) return;
    if (!this.atPosition(batch, progress)) return;
    if (this.eosGate !== null) {
      // Exactly-once: a commit is ending the transactions; this batch goes into the next one,
      // from wherever the partition stands after it (an abort rewinds).
      while (this.eosGate !== null) await this.eosGate;
      if (!isRunning() || isStale() || progress.fenced || this.draining) return;
      if (!this.atPosition(batch, progress)) return;
    }
    // Control records and aborted transactions after the last record also count as consumed.
    const last = Number(batch.lastOffset());
    const records = batch.messages;
    // Sent in the background: kafkajs fetches the next batches while the target acknowledges
    // this one. Positions only ever move past acknowledged records (copyRecords), so handing
    // the fetch position on now (resolveOffset) is safe; a failed send rewinds it (sendFailed).
    progress.inFlight = this.sendBatch(batch, records, progress, last);
    resolveOffset(batch.lastOffset());
  }

  private async sendBatch(
    batch: Batch,
    records: Batch["messages"],
    progress: PartitionProgress,
    last: number,
  ): Promise<void> {
    try {
      if (records.length > 0) await this.copyRecords(batch, records, progress);
    } catch (error) {
      if (error instanceof RemotePartitionReset) await this.copyAgainFromLogStart(progress, error);
      else await this.sendFailed(batch, progress, error);
      return;
    }
    if (progress.nextOffset === null || last + 1 > progress.nextOffset) progress.nextOffset = last + 1;
    // Records still behind when a batch lands: more than one batch's worth of traffic is arriving.
    progress.notePeakLag();
    if (progress.state === "error") {
      progress.state = "running";
      progress.error = null;
    }
    this.sendError = null;
  }

  /** The target refused or lost a batch: report it, and fetch again from the acknowledged position. */
  private async sendFailed(batch: Batch, progress: PartitionProgress, error: unknown): Promise<void> {
    const reason = describeKafkaError(error, this.spec.target.alias);
    this.log.warn(
      { err: String(error), topic: batch.topic, partition: batch.partition },
      "send failed; retrying",
    );
    const text = kafkaErrorText(error);
    if (this.eos) {
      if (isFencedError(error)) {
        await this.fenceTask(this.eos.taskOf(batch.topic, batch.partition));
        return;
      }
      // Records of the open transaction after this failure must not commit: it is aborted at the
      // next commit, which rewinds the task's partitions to their committed positions.
      this.eos.markDoomed(batch.topic, batch.partition, reason, {
        reopen: PRODUCER_STATE_LOST.test(text),
      });
    }
    if (REMOTE_TOPIC_MISSING.test(text)) await this.checkRemoteTopic(batch.topic);
    if (PRODUCER_STATE_LOST.test(text) && !this.eos) {
      // The target forgot this producer's sequence (it restarted mid-request): an idempotent
      // producer never recovers from that by itself, so take a fresh one; the batch is retried.
      await this.reconnectProducer(batch.partition % this.producers.length).catch(() => {});
    }
    progress.state = "error";
    progress.error = reason;
    this.sendError = reason;
    this.setHealth("ERROR", reason);
    if (progress.fenced || progress.nextOffset === null || this.stopped) return;
    // Not a seek of ours to a position (seekRequestedTo stays as it is): a batch fetched before this
    // seek lands must not be taken for a retention gap.
    this.consumer?.seek({
      topic: batch.topic,
      partition: batch.partition,
      offset: String(progress.nextOffset),
    });
  }

  /** Once per topic however many partitions failed: see recreateRemoteTopic. */
  private checkRemoteTopic(topic: string): Promise<void> {
    const running = this.remoteChecks.get(topic);
    if (running) return running;
    const done = this.recreateRemoteTopic(topic)
      .catch((error) => this.log.warn({ err: String(error), topic }, "remote topic check failed"))
      .finally(() => this.remoteChecks.delete(topic));
    this.remoteChecks.set(topic, done);
    return done;
  }

  /**
   * The remote topic was deleted on the target while the flow ran (by hand, or by a tool): it is
   * created again. Each partition then finds its remote offsets went back (copyRecords) and is
   * copied again from the source's log start.
   */
  private async recreateRemoteTopic(topic: string): Promise<void> {
    const remote = this.policy.formatRemoteTopic(this.spec.source.alias, topic);
    if ((await this.targetAdmin.partitionCounts([remote])).has(remote)) return;
    await this.syncTopics([topic]); // creates it, or reports why not
    // The producers' metadata still says the topic is gone.
    await Promise.all(this.producers.map((_, i) => this.reconnectProducer(i)));
  }

  /**
   * The remote partition lost what was copied to it (deleted and created again, or emptied): copy
   * the source partition again from its log start, so the target holds everything the source has.
   */
  private async copyAgainFromLogStart(
    progress: PartitionProgress,
    reset: RemotePartitionReset,
  ): Promise<void> {
    const offsets = await this.sourceAdmin.partitionOffsets(progress.topic);
    const from = offsets.find((o) => o.partition === progress.partition)?.low ?? 0;
    // The chunk that showed the reset landed first in the new partition, ahead of the records the
    // copy starts again with: delete it, so the remote partition is in the source's order. Only
    // this worker writes this partition, and nothing else was written there since the reset.
    // The new partition's leader may not be known yet: a few tries.
    for (let attempt = 1; ; attempt++) {
      try {
        await this.targetAdmin.deleteRecordsBefore(
          progress.remoteTopic,
          progress.partition,
          reset.baseOffset + reset.records,
        );
        break;
      } catch (error) {
        if (attempt === 10) {
          this.log.warn({ err: String(error) }, "could not delete the chunk written at the reset");
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
      }
    }
    this.emit({
      kind: "topic.recreated",
      message: `${reset.message} ${progress.topic}-${progress.partition} is copied again from offset ${from}, the source's log start (it had reached ${progress.nextOffset ?? 0}).`,
      details: {
        topic: progress.topic,
        partition: progress.partition,
        remoteTopic: progress.remoteTopic,
        fromOffset: from,
        remoteOffsetWas: reset.lastDownstreamOffset,
        remoteOffsetNow: reset.baseOffset,
      },
    });
    if (progress.fenced || this.stopped) return;
    this.restartPartition(progress, from);
    // Not a seek of ours to a position (see sendFailed): a batch fetched before it is no gap.
    progress.seekRequestedTo = null;
    this.consumer?.seek({ topic: progress.topic, partition: progress.partition, offset: String(from) });
  }

  /** Waits until every batch sent so far was acknowledged or failed. */
  private sendsSettled(): Promise<void> {
    return Promise.all([...this.partitions.values()].map((p) => p.inFlight)).then(() => {});
  }

  /**
   * True when the fetched batch starts where this partition's position says. Otherwise asks the
   * consumer to seek there; a fetch that lands beyond a position we already sought to means the
   * records in between were deleted by retention on the source: a gap, reported with its offsets.
   */
  private atPosition(batch: Batch, progress: PartitionProgress): boolean {
    const fetched = fetchedOffsetOf(batch);
    if (progress.nextOffset === null) {
      progress.nextOffset = fetched; // new partition under EARLIEST: start where the log starts
      return true;
    }
    if (fetched === progress.nextOffset) {
      progress.seekRequestedTo = null;
      return true;
    }
    const logEnd = Number(batch.highWatermark);
    if (fetched < progress.nextOffset && logEnd < progress.nextOffset) {
      // The source partition went back: it ends before records this flow already copied. The topic
      // was deleted and created again (or the source lost records). Copy what it holds now.
      this.reportSourceReset(progress, `it ends at offset ${logEnd}`, logEnd, fetched);
      this.restartPartition(progress, fetched);
      progress.seekRequestedTo = null;
      return true;
    }
    if (progress.seekRequestedTo === progress.nextOffset && fetched > progress.nextOffset) {
      this.emit({
        kind: "partition.retention-gap",
        message: `${batch.topic}-${batch.partition}: offsets ${progress.nextOffset}–${fetched - 1} were deleted by retention on ${this.spec.source.alias} before they were copied (${fetched - progress.nextOffset} records).`,
        details: {
          topic: batch.topic,
          partition: batch.partition,
          fromOffset: progress.nextOffset,
          toOffset: fetched - 1,
        },
      });
      progress.nextOffset = fetched;
      progress.seekRequestedTo = null;
      return true;
    }
    progress.seekRequestedTo = progress.nextOffset;
    this.consumer?.seek({
      topic: batch.topic,
      partition: batch.partition,
      offset: String(progress.nextOffset),
    });
    return false;
  }

  /**
   * Proves that the source partition is still the log the position belongs to before anything more
   * is copied from it: the last record copied is fetched again and compared. A topic deleted and
   * created again under the same name (kafkajs sees no topic IDs) holds other records there, or
   * ends before it; its records are then copied from its log start, and the reset is reported.
   * True when the batch may be copied; false when it was consumed by the check.
   */
  private async sourceContinues(batch: Batch, progress: PartitionProgress): Promise<boolean> {
    const mark = progress.continuityCheck!;
    const fetched = fetchedOffsetOf(batch);
    if (progress.continuitySought && fetched === mark.offset) {
      const first = batch.messages[0];
      progress.continuityCheck = null;
      progress.continuitySought = false;
      const logEnd = Number(batch.highWatermark);
      if (first && Number(first.offset) === mark.offset && markOf(first).digest !== mark.digest) {
        await this.restartFromSourceLogStart(
          progress,
          `the record at offset ${mark.offset} is not the one the flow copied from there`,
        );
      } else if (logEnd < progress.nextOffset!) {
        // The same log, cut short after the record (an unclean leader election): go on from its end.
        this.reportSourceReset(progress, `it ends at offset ${logEnd}`, logEnd, logEnd);
        this.restartPartition(progress, logEnd, mark);
        this.seekTo(progress, logEnd);
      } else {
        // The same record (or none at that offset, compacted away: nothing to compare with).
        progress.seekRequestedTo = progress.nextOffset;
        this.seekTo(progress, progress.nextOffset!);
      }
      return false;
    }
    if (progress.continuitySought) {
      // Not the batch asked for: fetched before the seek, or the consumer was reset (out of range).
      const range = await this.sourceRange(progress);
      if (range.high <= mark.offset) {
        await this.restartFromSourceLogStart(progress, `it ends at offset ${range.high}`, range);
        return false;
      }
      if (range.low > mark.offset) {
        // Retention deleted the record since: nothing to compare with, and nothing to compare with
        // again until more is copied. The position stands (atPosition reports a gap, if any).
        progress.lastCopied = null;
        progress.continuityCheck = null;
        progress.continuitySought = false;
        progress.seekRequestedTo = progress.nextOffset;
        return true;
      }
    }
    progress.continuitySought = true;
    this.seekTo(progress, mark.offset);
    return false;
  }

  private sourceContinuesOrWarn(batch: Batch, progress: PartitionProgress): Promise<boolean> {
    return this.sourceContinues(batch, progress).catch((error) => {
      // Nothing copied; the batch comes again (its offset was not resolved) and the check retries.
      this.log.warn(
        { err: String(error), topic: batch.topic, partition: batch.partition },
        "source check failed",
      );
      return false;
    });
  }

  private async sourceRange(progress: PartitionProgress): Promise<{ low: number; high: number }> {
    const offsets = await this.sourceAdmin.partitionOffsets(progress.topic);
    return offsets.find((o) => o.partition === progress.partition) ?? { low: 0, high: 0 };
  }

  private async restartFromSourceLogStart(
    progress: PartitionProgress,
    why: string,
    known?: { low: number; high: number },
  ): Promise<void> {
    const range = known ?? (await this.sourceRange(progress));
    this.reportSourceReset(progress, why, range.high, range.low);
    this.restartPartition(progress, range.low);
    this.seekTo(progress, range.low);
  }

  private reportSourceReset(progress: PartitionProgress, why: string, logEnd: number, from: number): void {
    const source = this.spec.source.alias;
    this.emit({
      kind: "partition.source-reset",
      message: `${progress.topic}-${progress.partition} on ${source} is not the log the flow copied from: ${why}, and the flow had copied up to offset ${progress.nextOffset}. The topic was deleted and created again, or ${source} lost records; the flow copies it from offset ${from} on, after what the target already has.`,
      details: {
        topic: progress.topic,
        partition: progress.partition,
        copiedUpTo: progress.nextOffset,
        sourceLogEnd: logEnd,
        fromOffset: from,
      },
    });
  }

  /**
   * Copies the partition again from `offset` after a reset. Exactly-once: what the target
   * committed belongs to the old log, so the restart point stands in for it (see eosRestarted).
   */
  private restartPartition(
    progress: PartitionProgress,
    offset: number,
    lastCopied: PartitionProgress["lastCopied"] = null,
  ): void {
    progress.restartAt(offset);
    progress.lastCopied = lastCopied;
    if (!this.eos) return;
    const key = partitionKey(progress.topic, progress.partition);
    this.eosCommittedOffsets.set(key, offset);
    this.eosCommittedMarks.set(key, lastCopied);
    this.eosRestarted.add(key);
  }

  private seekTo(progress: PartitionProgress, offset: number): void {
    this.consumer?.seek({ topic: progress.topic, partition: progress.partition, offset: String(offset) });
  }

  private async copyRecords(
    batch: Batch,
    records: Batch["messages"],
    progress: PartitionProgress,
  ): Promise<void> {
    const chunks = toProduceChunks(records, batch.partition);
    const sender = this.eos
      ? this.eos.senderFor(batch.topic, batch.partition)
      : this.senders[batch.partition % this.senders.length]!;
    if (sender === null) {
      throw new Error(`${batch.topic}-${batch.partition}: its exactly-once task is not held here (yet)`);
    }
    for (const chunk of chunks) {
      const baseOffset = await sender.send(
        progress.remoteTopic,
        batch.partition,
        chunk.messages,
        chunk.bytes,
      );
      const ackedAt = Date.now();
      if (!Number.isSafeInteger(baseOffset)) {
        // kafkajs silently drops records for a partition its metadata does not know yet (the
        // target topic just grew): nothing was written, so reconnect and let the batch retry.
        // (Exactly-once: the failed send dooms the transaction; its abort rewinds.)
        if (!this.eos) await this.reconnectProducer(batch.partition % this.producers.length);
        throw new Error(
          `${progress.remoteTopic}-${batch.partition} is not yet known to the target producer; retrying after a metadata refresh`,
        );
      }
      const n = chunk.messages.length;
      const lastWritten = progress.lastDownstreamOffset;
      progress.lastDownstreamOffset = baseOffset + n - 1;
      if (lastWritten !== null && baseOffset <= lastWritten) {
        throw new RemotePartitionReset(
          progress.remoteTopic,
          batch.partition,
          this.spec.target.alias,
          lastWritten,
          baseOffset,
          n,
        );
      }
      for (let i = 0; i < n; i++) {
        const record = records[chunk.firstIndex + i]!;
        const upstream = Number(record.offset);
        if (this.offsetSyncs && progress.syncTracker.update(upstream, baseOffset + i) === "sync-now") {
          this.offsetSyncs.add({
            topic: batch.topic,
            partition: batch.partition,
            upstreamOffset: upstream,
            downstreamOffset: baseOffset + i,
          });
        }
        const age = ackedAt - timestampOf(record);
        // Clock skew of the producer (or a bad timestamp) must not turn into a latency.
        if (age > -FUTURE_TIMESTAMP_TOLERANCE_MS) progress.latency.record(Math.max(0, age));
      }
      const lastRecord = records[chunk.firstIndex + n - 1]!;
      progress.nextOffset = Number(lastRecord.offset) + 1;
      progress.lastCopied = markOf(lastRecord);
      progress.lastCopiedTimestamp = timestampOf(lastRecord);
      progress.intervalRecords += n;
      progress.recordsCopied += n;
      progress.intervalBytes += chunk.bytes;
    }
  }

  /** Replaces producer `index` (once, however many partitions' sends failed with it). */
  private reconnectProducer(index: number): Promise<void> {
    const running = this.reconnecting.get(index);
    if (running) return running;
    const done = this.replaceProducer(index).finally(() => this.reconnecting.delete(index));
    this.reconnecting.set(index, done);
    return done;
  }

  private async replaceProducer(index: number): Promise<void> {
    const previous = this.producers[index]!;
    const fresh = this.createProducer();
    await fresh.connect();
    this.producers[index] = fresh;
    await previous.disconnect().catch(() => {});
  }

  private createProducer(): Producer {
    return createKafka(this.spec.target, { retry: { retries: 8, maxRetryTime: 5_000 } }).producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      metadataMaxAge: 60_000,
    });
  }

  // ── Positions, offset syncs, metrics ──────────────────────────────────────────────────────

  /** Writes dirty positions (fenced), then the offset syncs that follow them. Serialised. */
  private commit(): Promise<void> {
    return this.serialized(() => this.commitOnce()).catch((error) => {
      this.log.warn({ err: String(error) }, "commit failed; will retry");
    });
  }

  /**
   * Claims and commits run one at a time, in order: a claim bumps the epochs in the store, so a
   * commit that overlapped it would carry the previous epoch, be refused as "fenced", and the
   * runner would stop copying partitions it still owns (or rewind them and copy records twice).
   */
  private serialized<T>(task: () => Promise<T>): Promise<T> {
    const run = this.committing.then(task);
    this.committing = run.then(
      () => {},
      () => {},
    );
    return run;
  }

  private async commitOnce(): Promise<void> {
    if (this.eos) await this.endTaskTransactions(this.eos);
    // Exactly-once: Postgres gets a copy of what the target committed, never more.
    const stored = (p: PartitionProgress) => {
      if (!this.eos) return { nextOffset: p.nextOffset, lastCopied: p.lastCopied };
      const key = partitionKey(p.topic, p.partition);
      return {
        nextOffset: this.eosCommittedOffsets.get(key) ?? null,
        lastCopied: this.eosCommittedMarks.get(key) ?? null,
      };
    };
    const dirty = [...this.partitions.values()].filter((p) => {
      const next = stored(p).nextOffset;
      return !p.fenced && next !== null && next !== p.committedOffset;
    });
    if (dirty.length > 0) {
      const commits = dirty.map((p) => ({
        topic: p.topic,
        partition: p.partition,
        nextOffset: stored(p).nextOffset!,
        epoch: p.epoch,
        lastCopied: stored(p).lastCopied,
      }));
      const fenced = await this.deps.positions.commit(this.spec.flowId, commits);
      const fencedKeys = new Set(fenced.map((f) => partitionKey(f.topic, f.partition)));
      for (const [i, p] of dirty.entries()) {
        if (fencedKeys.has(partitionKey(p.topic, p.partition))) {
          // Re-claimed by this very worker while the write was in flight: not fenced, retry next time.
          if (commits[i]!.epoch !== p.epoch) continue;
          p.fenced = true;
          this.offsetSyncs?.drop(p.topic, p.partition);
          this.emit({
            kind: "partition.fenced",
            message: `${p.topic}-${p.partition} is owned by another worker now; this worker stopped copying it.`,
          });
        } else {
          p.committedOffset = commits[i]!.nextOffset;
        }
      }
    }
    if (this.eos) return; // its offset syncs went with the task transactions
    this.queueDelayedOffsetSyncs(true);
    await this.offsetSyncs?.flush();
  }

  /**
   * Exactly-once: ends every held task's transaction behind the gate — committed with the
   * positions of its partitions and their offset syncs, or aborted when a send in it failed (its
   * partitions then rewind to their committed positions). Postgres gets a copy of the positions
   * afterwards (commitOnce), for lag reports and failover estimates.
   */
  private async endTaskTransactions(eos: ExactlyOnceTasks): Promise<void> {
    let open!: () => void;
    this.eosGate = new Promise((resolve) => {
      open = resolve;
    });
    try {
      await this.sendsSettled();
      // A task dropped after a failed end is opened again (its partitions were rewound to their
      // committed positions). Only those: opening a task this worker is not assigned any more
      // would fence the worker that is.
      await eos.reopenLost();
      this.queueDelayedOffsetSyncs(true);
      for (const task of eos.held()) {
        const parts = [...this.partitions.values()].filter(
          (p) => !p.fenced && eos.taskOf(p.topic, p.partition) === task,
        );
        const inTask = (topic: string, partition: number) => eos.taskOf(topic, partition) === task;
        const dirty = parts.filter(
          (p) =>
            p.nextOffset !== null &&
            (p.nextOffset !== this.eosCommitted(p) ||
              this.eosRestarted.has(partitionKey(p.topic, p.partition))),
        );
        const syncs = this.offsetSyncs?.take(inTask) ?? [];
        const outcome = await eos.end(
          task,
          dirty.map((p) => ({ topic: p.topic, partition: p.partition, nextOffset: p.nextOffset! })),
          syncs,
        );
        if (outcome === "committed") {
          for (const p of dirty) {
            const key = partitionKey(p.topic, p.partition);
            this.eosCommittedOffsets.set(key, p.nextOffset!);
            this.eosCommittedMarks.set(key, p.lastCopied);
            this.eosRestarted.delete(key);
          }
        } else if (outcome === "aborted") {
          for (const p of parts) this.rewindToCommitted(p);
        } else if (outcome === "fenced") {
          await this.fenceTask(task);
        }
      }
    } finally {
      this.eosGate = null;
      open();
    }
  }

  /** Exactly-once: the position last committed on the target for the partition. */
  private eosCommitted(p: PartitionProgress): number | null {
    return this.eosCommittedOffsets.get(partitionKey(p.topic, p.partition)) ?? null;
  }

  /** Exactly-once: an aborted transaction's records are gone; copy again from the committed position. */
  private rewindToCommitted(p: PartitionProgress): void {
    const key = partitionKey(p.topic, p.partition);
    const to = this.eosCommitted(p);
    this.offsetSyncs?.drop(p.topic, p.partition);
    if (to === null || p.fenced) return;
    p.nextOffset = to;
    p.lastCopied = this.eosCommittedMarks.get(key) ?? null;
    p.continuityCheck = null;
    p.seekRequestedTo = null; // our own seek: a batch fetched before it is no retention gap
    this.seekTo(p, to);
  }

  /** Exactly-once: another worker opened the task (fencing this one); its partitions are theirs. */
  private async fenceTask(task: number): Promise<void> {
    const eos = this.eos;
    if (!eos) return;
    await eos.drop(task);
    for (const p of this.partitions.values()) {
      if (p.fenced || eos.taskOf(p.topic, p.partition) !== task) continue;
      p.fenced = true;
      this.offsetSyncs?.drop(p.topic, p.partition);
      this.emit({
        kind: "partition.fenced",
        message: `${p.topic}-${p.partition}: its exactly-once task ${task} is held by another worker now; this worker stopped copying it.`,
      });
    }
  }

  /**
   * Queues the partitions' delayed syncs: all of them on the flush timer (MM2: 60 s), and at every
   * commit those of quiet partitions (nothing copied since the previous commit), so that a group
   * caught up with a quiet partition translates exactly instead of waiting for the timer.
   */
  private queueDelayedOffsetSyncs(onlyQuiet = false): void {
    if (!this.offsetSyncs) return;
    const now = Date.now();
    for (const p of this.partitions.values()) {
      if (p.fenced) continue;
      const quiet = p.recordsCopied === p.recordsCopiedAtLastCommit;
      if (onlyQuiet) p.recordsCopiedAtLastCommit = p.recordsCopied;
      // At most one early sync per partition every QUIET_SYNC_MIN_INTERVAL_MS: a trickle of
      // records must not turn into a sync per record.
      if (onlyQuiet && (!quiet || now - p.lastQuietSyncAt < QUIET_SYNC_MIN_INTERVAL_MS)) continue;
      if (onlyQuiet && p.syncTracker.hasDelayedSync) p.lastQuietSyncAt = now;
      const delayed = p.syncTracker.takeDelayedSync();
      if (delayed) this.offsetSyncs.add({ topic: p.topic, partition: p.partition, ...delayed });
    }
  }

  private async refreshLogEndOffsets(): Promise<void> {
    const topics = new Set([...this.partitions.values()].map((p) => p.topic));
    for (const topic of topics) {
      const offsets = await this.sourceAdmin.partitionOffsets(topic).catch(() => []);
      for (const o of offsets) {
        const p = this.partitions.get(partitionKey(topic, o.partition));
        if (p && (p.logEndOffset === null || o.high > p.logEndOffset)) p.logEndOffset = o.high;
      }
    }
  }

  /**
   * Keeps the last source end offset seen per partition in the position store, so a failover
   * can estimate what is lost when the source is gone. Only changed partitions are written.
   */
  private async recordWatermarks(): Promise<void> {
    const record = this.deps.positions.recordWatermarks;
    if (record === undefined) return;
    const marks: SourceWatermark[] = [];
    for (const p of this.partitions.values()) {
      if (p.fenced || p.logEndOffset === null) continue;
      if (p.logEndOffset === p.recordedLogEnd && p.lastCopiedTimestamp === p.recordedCopiedTimestamp)
        continue;
      marks.push({
        topic: p.topic,
        partition: p.partition,
        sourceEndOffset: p.logEndOffset,
        lastCopiedTimestamp: p.lastCopiedTimestamp,
        epoch: p.epoch,
      });
    }
    if (marks.length === 0) return;
    await record
      .call(this.deps.positions, this.spec.flowId, marks)
      .then(() => {
        for (const m of marks) {
          const p = this.partitions.get(partitionKey(m.topic, m.partition));
          if (p === undefined) continue;
          p.recordedLogEnd = m.sourceEndOffset;
          p.recordedCopiedTimestamp = m.lastCopiedTimestamp;
        }
      })
      .catch((error) => this.log.warn({ err: String(error) }, "recording source watermarks failed"));
  }

  private publishMetrics(): void {
    const now = Date.now();
    const seconds = Math.max(0.001, (now - this.lastMetricsAt) / 1000);
    this.lastMetricsAt = now;
    const partitions: PartitionMetrics[] = [];
    let behind = false;
    for (const p of this.partitions.values()) {
      if (p.fenced) continue;
      const lag = p.lagRecords;
      const lagSeconds =
        lag === null
          ? null
          : lag === 0
            ? 0
            : p.lastCopiedTimestamp === null
              ? null
              : Math.max(0, (now - p.lastCopiedTimestamp) / 1000);
      const catchingUp = (lag ?? 0) > CATCHING_UP_RECORDS || (lagSeconds ?? 0) > CATCHING_UP_SECONDS;
      // A partition in error (e.g. an unreadable codec) is reported as such, not as catching up.
      if (catchingUp && p.state !== "error") behind = true;
      partitions.push({
        topic: p.topic,
        partition: p.partition,
        remoteTopic: p.remoteTopic,
        state:
          p.state === "error"
            ? "error"
            : catchingUp
              ? "catching_up"
              : p.intervalRecords > 0
                ? "running"
                : "idle",
        error: p.error,
        logEndOffset: p.logEndOffset,
        nextOffset: p.nextOffset,
        // The interval's peak: a burst drained between two samples still shows.
        lagRecords: lag === null ? null : Math.max(lag, p.intervalPeakLag),
        lagSeconds,
        recordsPerSec: p.intervalRecords / seconds,
        bytesPerSec: p.intervalBytes / seconds,
        latencyP50Ms: p.latency.quantile(0.5),
        latencyP99Ms: p.latency.quantile(0.99),
        recordsCopied: p.recordsCopied,
      });
      p.intervalRecords = 0;
      p.intervalBytes = 0;
      p.intervalPeakLag = 0;
      p.latency.reset();
    }
    if (this.sendError) this.setHealth("ERROR", this.sendError);
    else if (this.health !== "ERROR" || this.consumer)
      this.setHealth(behind ? "CATCHING_UP" : "RUNNING", null);
    this.deps.onMetrics?.({
      flowId: this.spec.flowId,
      workerId: this.deps.owner,
      at: new Date(now).toISOString(),
      intervalMs: Math.round(seconds * 1000),
      partitions,
      topicDrift: this.topicDrift.summary(),
    });
  }

  private leaderFailed(what: string, error: unknown): void {
    this.emit({
      kind: "leader.error",
      message: `Checkpoints and heartbeats could not ${what}: ${describeKafkaError(error, this.spec.target.alias)}. Replication continues; this is retried every few seconds.`,
    });
  }

  // ── Plumbing ──────────────────────────────────────────────────────────────────────────────

  private setHealth(health: FlowHealth, reason: string | null): void {
    if (health === this.health && reason === this.healthReason) return;
    this.health = health;
    this.healthReason = reason;
    this.deps.onHealth?.(health, reason);
  }

  private emit(event: FlowRunnerEvent): void {
    this.log.info({ kind: event.kind, ...event.details }, event.message);
    this.deps.onEvent?.(event);
  }

  private every(ms: number, task: () => Promise<void> | void): void {
    const timer = setInterval(() => {
      if (this.stopped) return;
      Promise.resolve()
        .then(task)
        .catch((error) => this.log.warn({ err: String(error) }, "periodic task failed"));
    }, ms);
    timer.unref?.();
    this.timers.push(timer);
  }

  /** Current health, for the supervisor. */
  get currentHealth(): { health: FlowHealth; reason: string | null } {
    return { health: this.health, reason: this.healthReason };
  }
}

/** kafkajs sets fetchedOffset on every batch but leaves it out of its type declarations. */
function fetchedOffsetOf(batch: Batch): number {
  return Number((batch as Batch & { fetchedOffset: string }).fetchedOffset);
}
