import type { FlowAclSyncStatus, FlowLeaderStatus, GroupCheckpointStatus } from "@mirrordeck/contracts";
import { type ClusterConnection, createKafka } from "@mirrordeck/kafka";
import {
  type Checkpoint,
  DefaultGroupFilter,
  decodeCheckpoint,
  decodeOffsetSyncKey,
  decodeOffsetSyncValue,
  encodeCheckpointKey,
  encodeCheckpointValue,
  HEARTBEATS_TOPIC,
  OffsetSyncStore,
  offsetSyncsTopicPlacement,
  type ReplicationPolicy,
  retainedOffsetSyncHistory,
} from "@mirrordeck/mm2";
import type { Consumer, Producer } from "kafkajs";
import { syncTopicAcls } from "../acls/topic-acl-sync.ts";
import type { EngineLogger } from "../engine-logger.ts";
import type { FlowRunnerEvent } from "../flow-events.ts";
import type { FlowSpec } from "../flow-spec.ts";
import { describeKafkaError } from "../kafka-error-text.ts";
import { chunkBySize } from "../kafkajs/chunk-messages.ts";
import { readTopicToEnd } from "../kafkajs/read-topic-to-end.ts";
import { mapLimit } from "../map-limit.ts";
import type { AclAdmin } from "../ports/acl-admin.ts";
import type { ClusterAdmin, PartitionOffsets } from "../ports/cluster-admin.ts";
import type { PositionStore } from "../ports/position-store.ts";
import { ensureInternalTopic } from "../topics/internal-topic.ts";
import { topicSelector } from "../topics/topic-selection.ts";
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
  /** Fences the leader: its lease is a row of the flow's positions, claimed on every takeover. */
  positions: PositionStore;
  sourceAdmin: ClusterAdmin & AclAdmin;
  targetAdmin: ClusterAdmin & AclAdmin;
  /** Source topics the flow replicates right now. */
  replicatedTopics: () => readonly string[];
  log: EngineLogger;
  emit: (event: FlowRunnerEvent) => void;
  onStatus?: (status: FlowLeaderStatus) => void;
}

/** Internal groups of MirrorDeck itself are never checkpointed, whatever `groups` says. */
const OWN_GROUP_PREFIX = "__mirrordeck.";

/**
 * The leader's lease, kept among the flow's positions ('#' cannot occur in a Kafka topic name).
 * Claiming it bumps its epoch, so an earlier leader's next check comes back fenced.
 */
export const LEADER_LEASE = { topic: "#checkpoint-leader", partition: 0 } as const;

/** Admin calls in flight at once when a round reads many groups and topics. */
const ADMIN_CONCURRENCY = 8;

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
  private consumerStarting: Promise<void> | undefined;
  private checkpointProducer: Promise<Producer> | undefined;
  private readonly heartbeats: HeartbeatEmitter | undefined;
  private watch: ReplicatedHeartbeatWatch | undefined;
  private store = newStore();
  private syncsEnd: number | null = null;
  private syncsReadUpTo = 0;
  /** Kafka assigned this worker the syncs partition (set at once on every join or crash). */
  private assigned = false;
  /** Bumped on every join and crash: a lead() of an earlier generation gives up. */
  private generation = 0;
  /** Prepared and fenced in: runs checkpoints and heartbeats. */
  private leading = false;
  private leaseEpoch: number | null = null;
  private leadership: Promise<void> = Promise.resolve();
  private written = new Map<string, WrittenCheckpoint>();
  private groups: string[] = [];
  private groupsRefreshedAt = 0;
  private groupStatus = new Map<string, GroupCheckpointStatus>();
  private readonly skippedActive = new Set<string>();
  private checkpointsWritten = 0;
  private acls: FlowAclSyncStatus;
  private lastRunAt: number | null = null;
  private lastError: string | null = null;
  private timers: NodeJS.Timeout[] = [];
  private running: Promise<void> = Promise.resolve();
  private stopped = false;
  /**
   * Whether an offset sync's topic is one this flow replicates. Every flow between the same two
   * clusters shares the offset-syncs topic: the others' syncs are skipped by key, values unread.
   */
  private readonly ownsTopic: (topic: string) => boolean;

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
    const selects = topicSelector(spec, policy);
    const seen = new Map<string, boolean>();
    this.ownsTopic = (topic) => {
      let owned = seen.get(topic);
      if (owned === undefined) {
        owned = selects(topic);
        seen.set(topic, owned);
      }
      return owned;
    };
    this.acls = {
      enabled: spec.syncTopicAcls,
      intervalSeconds: Math.round(spec.syncTopicAclsIntervalMs / 1000),
      lastRunAt: null,
      nextRunAt: null,
      problem: null,
      createdTotal: 0,
      toCreate: null,
      present: null,
      targetOnly: null,
    };
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

  /** Creates the internal topics, so the first topic listing already includes the source's heartbeats. */
  async prepareTopics(): Promise<void> {
    const { spec } = this.deps;
    await ensureInternalTopic(this.syncsCluster, this.syncsAdmin, this.syncsTopic);
    if (spec.emitCheckpoints)
      await ensureInternalTopic(spec.target, this.deps.targetAdmin, this.checkpointsTopic);
    await this.heartbeats?.prepareTopics();
  }

  /** Joins the leader group and starts the timers; what fails here is retried on the timers. */
  async start(): Promise<void> {
    const { spec } = this.deps;
    this.every(spec.emitHeartbeatsIntervalMs, async () => {
      if (this.leading && this.heartbeats) await this.heartbeats.emit();
    });
    this.every(spec.emitCheckpointsIntervalMs, () => this.exclusive(() => this.checkpointOnce()));
    if (spec.syncGroupOffsets) {
      this.every(spec.syncGroupOffsetsIntervalMs, () => this.exclusive(() => this.syncGroupOffsetsOnce()));
    }
    if (spec.syncTopicAcls) {
      // Checked every status tick; a round runs when due (at once after taking the lead).
      // Through exclusive(): stop() waits for a round in flight before the admins close.
      this.every(Math.min(spec.metricsIntervalMs, spec.syncTopicAclsIntervalMs), () =>
        this.exclusive(() => this.syncAclsIfDue()),
      );
    }
    this.every(spec.metricsIntervalMs, async () => {
      // Retries whatever failed: the topics, the consumer, taking the lead, following heartbeats.
      if (this.consumer === undefined) await this.prepareTopics().then(() => this.startConsumer());
      this.changeLeadership();
      await this.watch?.ensureStarted().catch(() => {});
      this.publishStatus();
    });
    await this.startConsumer();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    await this.consumer?.disconnect().catch(() => {});
    this.consumer = undefined;
    await this.consumerStarting?.catch(() => {});
    await this.leadership.catch(() => {});
    await this.running.catch(() => {});
    await this.resign();
  }

  /** True while this worker leads the flow. */
  get isLeader(): boolean {
    return this.leading;
  }

  private get syncsAdmin(): ClusterAdmin {
    return this.syncsCluster === this.deps.spec.source ? this.deps.sourceAdmin : this.deps.targetAdmin;
  }

  // ── Leadership ────────────────────────────────────────────────────────────────────────────

  /** Joins the leader group once; concurrent callers share the attempt in progress. */
  private startConsumer(): Promise<void> {
    this.consumerStarting ??= this.joinLeaderGroup().finally(() => {
      this.consumerStarting = undefined;
    });
    return this.consumerStarting;
  }

  private async joinLeaderGroup(): Promise<void> {
    if (this.stopped || this.consumer !== undefined) return;
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
      // kafkajs emits this after the previous generation's batches finished; every assignment
      // reads the topic again from its start (the group never commits).
      this.resetStore();
      this.assigned = assignment[this.syncsTopic]?.includes(0) ?? false;
      if (this.leading) this.leading = false; // re-established (and re-fenced) by lead()
      this.changeLeadership();
    });
    consumer.on(consumer.events.CRASH, (event) => {
      // The member left the group: another worker may be assigned the partition right away.
      this.resetStore();
      this.assigned = false;
      this.leading = false;
      this.changeLeadership();
      if (!event.payload.restart) {
        // kafkajs gives up on this consumer: build a new one on the next status tick.
        this.consumer = undefined;
        void consumer.disconnect().catch(() => {});
      }
    });
    try {
      await consumer.connect();
      await consumer.subscribe({ topics: [this.syncsTopic], fromBeginning: true });
      await consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          const generation = this.generation;
          for (const message of batch.messages) {
            try {
              const key = decodeOffsetSyncKey(message.key);
              if (!this.ownsTopic(key.topic)) continue;
              this.store.handleOffsetSync({ ...key, ...decodeOffsetSyncValue(message.value) });
            } catch (error) {
              this.deps.log.warn(
                { err: String(error), offset: message.offset },
                "unreadable offset sync skipped",
              );
            }
          }
          if (generation !== this.generation) return;
          this.syncsReadUpTo = Number(batch.lastOffset()) + 1;
          this.checkReadToEnd();
        },
      });
    } catch (error) {
      await consumer.disconnect().catch(() => {});
      throw error;
    }
    this.consumer = consumer;
    if (this.stopped) await consumer.disconnect().catch(() => {});
  }

  private resetStore(): void {
    this.generation++;
    this.store = newStore();
    this.syncsEnd = null;
    this.syncsReadUpTo = 0;
  }

  /** Leads or resigns to match the assignment; serialised, retried on every status tick. */
  private changeLeadership(): void {
    this.leadership = this.leadership
      .then(async () => {
        if (this.stopped) return;
        if (this.assigned && !this.leading) await this.lead(this.generation);
        else if (!this.assigned && (this.leading || this.leaseEpoch !== null)) await this.resign();
      })
      .catch((error) => {
        this.deps.log.warn({ err: String(error) }, "taking the flow's lead failed; will retry");
      });
  }

  private async lead(generation: number): Promise<void> {
    const { spec, policy } = this.deps;
    const current = () => !this.stopped && generation === this.generation && this.assigned;
    // Fence any earlier leader first: its next lease check fails.
    const [lease] = await this.deps.positions.claim(spec.flowId, this.deps.owner, [LEADER_LEASE]);
    if (!current() || lease === undefined) return;
    this.leaseEpoch = lease.epoch;
    const end = (await this.syncsAdmin.partitionOffsets(this.syncsTopic)).find((o) => o.partition === 0);
    if (!current()) return;
    this.syncsEnd = end === undefined || end.high <= end.low ? 0 : end.high;
    this.checkReadToEnd();
    // Another worker may have led in between: its checkpoints are the baseline now.
    if (spec.emitCheckpoints) await this.exclusive(() => this.loadWrittenCheckpoints());
    if (!current()) return;
    if (spec.emitHeartbeats && this.watch === undefined) {
      this.watch = new ReplicatedHeartbeatWatch(
        spec.target,
        this.deps.targetAdmin,
        policy.formatRemoteTopic(spec.source.alias, HEARTBEATS_TOPIC),
        `${OWN_GROUP_PREFIX}${spec.flowId}.heartbeat-watch`,
      );
      void this.watch.ensureStarted().catch(() => {});
    }
    this.leading = true;
    this.acls = { ...this.acls, nextRunAt: new Date().toISOString(), createdTotal: 0 };
    this.deps.log.info(
      { topic: this.syncsTopic, epoch: lease.epoch },
      "leading the flow's checkpoints and heartbeats",
    );
  }

  /** Gives up everything a leader holds; safe to call at any time, twice. */
  private async resign(): Promise<void> {
    const wasLeading = this.leading;
    this.leading = false;
    this.leaseEpoch = null;
    const watch = this.watch;
    this.watch = undefined;
    const producer = this.checkpointProducer;
    this.checkpointProducer = undefined;
    await watch?.close();
    await this.heartbeats?.close();
    await producer?.then((p) => p.disconnect()).catch(() => {});
    this.groupStatus.clear();
    if (wasLeading) this.deps.log.info({}, "no longer leading the flow's checkpoints and heartbeats");
  }

  /** True while our lease is still the current one; fenced: resign at once. */
  private async holdsLease(): Promise<boolean> {
    const epoch = this.leaseEpoch;
    if (!this.leading || epoch === null) return false;
    const fenced = await this.deps.positions.commit(this.deps.spec.flowId, [
      { ...LEADER_LEASE, nextOffset: 0, epoch },
    ]);
    if (fenced.length === 0 && this.leading && this.leaseEpoch === epoch) return true;
    this.assigned = false;
    await this.resign();
    return false;
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
  }

  // ── Checkpoints ───────────────────────────────────────────────────────────────────────────

  private async checkpointOnce(): Promise<void> {
    const { spec, sourceAdmin } = this.deps;
    if (!this.leading || !spec.emitCheckpoints || !this.store.isReadToEnd) return;
    try {
      const topics = [...this.deps.replicatedTopics()];
      const now = Date.now();
      if (this.groupsRefreshedAt === 0 || now - this.groupsRefreshedAt >= spec.refreshGroupsIntervalMs) {
        this.groups = (await sourceAdmin.listGroups())
          .filter((g) => !g.startsWith(OWN_GROUP_PREFIX) && this.groupFilter.shouldReplicateGroup(g))
          .sort();
        this.groupsRefreshedAt = now;
      }
      const commitsByGroup = new Map<string, GroupCommit[]>();
      if (topics.length > 0) {
        const fetched = await mapLimit(this.groups, ADMIN_CONCURRENCY, (group) =>
          sourceAdmin.fetchGroupOffsets(group, topics),
        );
        for (const [i, group] of this.groups.entries()) {
          const commits: GroupCommit[] = [];
          for (const t of fetched[i]!) for (const p of t.partitions) commits.push({ topic: t.topic, ...p });
          // Only groups with committed offsets on replicated topics count (MM2).
          if (commits.length > 0) commitsByGroup.set(group, commits);
        }
      }
      const remote = (t: string) => this.deps.policy.formatRemoteTopic(spec.source.alias, t);
      const commitTopics = [...new Set([...commitsByGroup.values()].flatMap((cs) => cs.map((c) => c.topic)))];
      const { sourceOffsets, targetOffsets } = await this.readOffsets(commitTopics, remote);
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
      if (toWrite.length > 0 && !(await this.writeCheckpoints(toWrite))) return;
      this.groupStatus = statuses;
      this.lastRunAt = Date.now();
      this.lastError = null;
    } catch (error) {
      this.lastError = describeKafkaError(error, spec.target.alias);
      this.deps.log.warn({ err: String(error) }, "checkpoint round failed; will retry");
    }
  }

  /** Source and remote partition offsets of the topics; a topic that cannot be read is left out. */
  private async readOffsets(topics: string[], remote: (topic: string) => string) {
    const sourceOffsets: OffsetsByPartition = new Map();
    const targetOffsets: OffsetsByPartition = new Map();
    const read = async (admin: ClusterAdmin, topic: string, into: OffsetsByPartition) => {
      const offsets: PartitionOffsets[] | null = await admin.partitionOffsets(topic).catch(() => null);
      if (offsets !== null) into.set(topic, new Map(offsets.map((o) => [o.partition, o])));
    };
    await mapLimit(topics, ADMIN_CONCURRENCY, async (topic) => {
      await read(this.deps.sourceAdmin, topic, sourceOffsets);
      await read(this.deps.targetAdmin, remote(topic), targetOffsets);
    });
    return { sourceOffsets, targetOffsets };
  }

  /** Writes the checkpoints if this worker still holds the lease; false when it lost it. */
  private async writeCheckpoints(checkpoints: Checkpoint[]): Promise<boolean> {
    if (!(await this.holdsLease())) return false;
    this.checkpointProducer ??= (async () => {
      const producer = createKafka(this.deps.spec.target).producer({
        allowAutoTopicCreation: false,
        idempotent: true,
        maxInFlightRequests: 1,
      });
      await producer.connect();
      return producer;
    })();
    const pending = this.checkpointProducer;
    const producer = await pending.catch((error) => {
      if (this.checkpointProducer === pending) this.checkpointProducer = undefined;
      throw error;
    });
    if (!this.leading || this.checkpointProducer !== pending) return false;
    const messages = checkpoints.map((c) => ({
      partition: 0,
      key: encodeCheckpointKey(c),
      value: encodeCheckpointValue(c),
      checkpoint: c,
    }));
    for (const chunk of chunkBySize(messages)) {
      await producer.send({
        topic: this.checkpointsTopic,
        acks: -1,
        messages: chunk.map(({ partition, key, value }) => ({ partition, key, value })),
      });
      const at = Date.now();
      for (const { checkpoint: c } of chunk) {
        this.written.set(checkpointKey(c.consumerGroupId, c.topic, c.partition), {
          upstreamOffset: c.upstreamOffset,
          downstreamOffset: c.downstreamOffset,
          at,
        });
      }
      this.checkpointsWritten += chunk.length;
    }
    return true;
  }

  // ── Group offset sync ─────────────────────────────────────────────────────────────────────

  private async syncGroupOffsetsOnce(): Promise<void> {
    if (!this.leading || this.groupStatus.size === 0) return;
    if (!(await this.holdsLease())) return;
    const outcomes = await syncGroupOffsets({
      targetAdmin: this.deps.targetAdmin,
      groups: [...this.groupStatus.values()],
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

  // ── Topic ACL sync ────────────────────────────────────────────────────────────────────────

  /** MM2's syncTopicAcls on `sync.topic.acls.interval.seconds`, run by the leader alone. */
  private async syncAclsIfDue(): Promise<void> {
    const { spec, policy } = this.deps;
    const due = this.acls.nextRunAt;
    if (this.stopped || !this.leading || due === null || Date.now() < Date.parse(due)) return;
    const generation = this.generation;
    const principal = (c: ClusterConnection) =>
      c.security?.sasl?.username ? `User:${c.security.sasl.username}` : null;
    const result = await syncTopicAcls({
      source: { alias: spec.source.alias, principal: principal(spec.source), admin: this.deps.sourceAdmin },
      target: { alias: spec.target.alias, principal: principal(spec.target), admin: this.deps.targetAdmin },
      topics: [...this.deps.replicatedTopics()],
      remoteName: (topic) => policy.formatRemoteTopic(spec.source.alias, topic),
      ...(spec.aclPrincipalMap !== undefined && { principalMap: spec.aclPrincipalMap }),
      // Fenced like checkpoints: a leader that lost its lease creates nothing.
      mayCreate: () => this.holdsLease(),
    });
    // Stopped, resigned or led again meanwhile: this round's outcome is nobody's to report.
    if (this.stopped || !this.leading || generation !== this.generation) return;
    const previousProblem = this.acls.problem;
    const now = Date.now();
    this.acls = {
      ...this.acls,
      lastRunAt: new Date(now).toISOString(),
      nextRunAt: new Date(now + spec.syncTopicAclsIntervalMs).toISOString(),
      problem: result.problem,
      createdTotal: this.acls.createdTotal + result.created,
      toCreate: result.plan?.toCreate.length ?? null,
      present: result.plan?.present.length ?? null,
      targetOnly: result.plan?.targetOnly.length ?? null,
    };
    if (result.created > 0) {
      this.deps.emit({
        kind: "acls.synced",
        message: `${result.created} topic ACL binding(s) created on ${spec.target.alias}`,
        details: { created: result.created },
      });
    }
    // A source without an authorizer has nothing to copy: status only, not an event.
    const noSourceAuthorizer = result.source.problem !== null && /no authorizer/.test(result.source.problem);
    if (result.problem !== null && result.problem !== previousProblem && !noSourceAuthorizer) {
      this.deps.log.warn({ problem: result.problem }, "topic ACL sync failed; will retry");
      this.deps.emit({ kind: "acls.sync-failed", message: result.problem });
    }
    this.publishStatus(); // the round's outcome now, not at the next status tick
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
      acls: this.acls,
    });
  }

  /** Checkpoint rounds, group syncs and baseline loads never overlap (they share `written`). */
  private exclusive(task: () => Promise<void>): Promise<void> {
    const run = this.running.then(() => (this.stopped ? undefined : task()));
    this.running = run.catch(() => {});
    return run;
  }

  /** Runs `task` every `ms`; a tick is skipped while the previous run is still going. */
  private every(ms: number, task: () => Promise<void>): void {
    let busy = false;
    const timer = setInterval(() => {
      if (this.stopped || busy) return;
      busy = true;
      task()
        .catch((error) => this.deps.log.warn({ err: String(error) }, "leader task failed"))
        .finally(() => {
          busy = false;
        });
    }, ms);
    timer.unref?.();
    this.timers.push(timer);
  }
}

function newStore(): OffsetSyncStore {
  return new OffsetSyncStore({ createHistory: retainedOffsetSyncHistory() });
}
