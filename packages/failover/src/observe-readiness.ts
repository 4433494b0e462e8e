import type {
  FailoverReadiness,
  FlowLeaderStatus,
  GroupReadiness,
  PartitionReadiness,
  TopicReadiness,
} from "@mirrordeck/contracts";
import { findRunningFailover, readPositionsWithWatermarks } from "@mirrordeck/db";
import { DefaultConfigPropertyFilter, DefaultGroupFilter } from "@mirrordeck/mm2";
import type { ClusterAdmin, PartitionOffsets } from "@mirrordeck/replication";
import type { FailoverContext } from "./failover-context.ts";
import { readinessReasons } from "./readiness-reasons.ts";
import { dataTopics } from "./steps/source-quiet-steps.ts";

const OWN_GROUP_PREFIX = "__mirrordeck.";
const CONCURRENCY = 8;

/**
 * Looks at both clusters, the flow's stored positions and its leader's status, and says whether
 * the flow can fail over now and what would be lost. Never throws for an unreachable cluster:
 * that is part of the answer.
 */
export async function observeReadiness(ctx: FailoverContext): Promise<FailoverReadiness> {
  const { spec, flow, policy } = ctx;
  const now = ctx.now();
  const [positions, leader, running] = await Promise.all([
    readPositionsWithWatermarks(ctx.db, flow.id),
    ctx.leaderStatus().catch(() => null),
    findRunningFailover(ctx.db, flow.id),
  ]);
  const remote = (topic: string) => policy.formatRemoteTopic(spec.source.alias, topic);

  // Source: which topics, their offsets; a failure makes the source "unreachable".
  let sourceError: string | null = null;
  let topics: string[];
  const sourceOffsets = new Map<string, PartitionOffsets[]>();
  try {
    topics = await dataTopics(ctx);
    await forEachLimit(topics, async (topic) => {
      sourceOffsets.set(topic, await ctx.sourceAdmin.partitionOffsets(topic));
    });
  } catch (error) {
    sourceError = messageOf(error);
    topics = [...new Set(positions.map((p) => p.topic))].filter((t) => !policy.isHeartbeatsTopic(t)).sort();
  }
  const sourceReachable = sourceError === null;

  let targetError: string | null = null;
  const targetOffsets = new Map<string, PartitionOffsets[]>();
  try {
    const present = new Set(await ctx.targetAdmin.listTopics());
    await forEachLimit(
      topics.filter((t) => present.has(remote(t))),
      async (topic) => {
        targetOffsets.set(topic, await ctx.targetAdmin.partitionOffsets(remote(topic)));
      },
    );
  } catch (error) {
    targetError = messageOf(error);
  }
  const targetReachable = targetError === null;

  const positionOf = new Map(positions.map((p) => [`${p.topic}\u0000${p.partition}`, p]));
  const partitions: PartitionReadiness[] = [];
  for (const topic of topics) {
    const live = sourceOffsets.get(topic);
    const known: { partition: number; low: number | null; high: number | null }[] =
      live ??
      positions
        .filter((p) => p.topic === topic)
        .map((p) => ({ partition: p.partition, low: null, high: null }));
    const target = new Map((targetOffsets.get(topic) ?? []).map((o) => [o.partition, o]));
    for (const o of known) {
      const position = positionOf.get(`${topic}\u0000${o.partition}`);
      const liveEnd = o.high;
      const sourceEnd = liveEnd ?? position?.sourceEndOffset ?? null;
      const replicatedUpTo = position?.nextOffset ?? null;
      const start = o.low ?? 0;
      const lagRecords = sourceEnd === null ? null : Math.max(0, sourceEnd - (replicatedUpTo ?? start));
      const lastCopied = position?.lastCopiedTimestamp?.getTime() ?? null;
      const seenAt = liveEnd !== null ? now : (position?.sourceEndAt?.getTime() ?? null);
      partitions.push({
        topic,
        partition: o.partition,
        remoteTopic: remote(topic),
        sourceEnd,
        sourceEndAt: seenAt === null ? null : new Date(seenAt).toISOString(),
        sourceEndLive: liveEnd !== null,
        replicatedUpTo,
        lagRecords,
        lagSeconds:
          lagRecords === 0
            ? 0
            : lagRecords === null || lastCopied === null || seenAt === null
              ? null
              : Math.max(0, (seenAt - lastCopied) / 1000),
        lastCopiedTimestamp: lastCopied === null ? null : new Date(lastCopied).toISOString(),
        targetEnd: target.get(o.partition)?.high ?? null,
      });
    }
  }

  const groups = await observeGroups(ctx, topics, leader, sourceReachable, targetReachable, now);
  const topicViews = await observeTopics(ctx, topics, sourceOffsets, targetOffsets, sourceReachable);
  const heartbeatAt = leader?.heartbeats.lastReplicatedTimestamp ?? null;
  const lagged = partitions.filter((p) => p.lagSeconds !== null).map((p) => p.lagSeconds!);
  const readiness: Omit<FailoverReadiness, "go" | "unplannedGo" | "reasons"> = {
    flowId: flow.id,
    at: new Date(now).toISOString(),
    sourceAlias: spec.source.alias,
    targetAlias: spec.target.alias,
    activeAlias: flow.activeClusterId === flow.targetClusterId ? spec.target.alias : spec.source.alias,
    sourceReachable,
    sourceError,
    targetReachable,
    targetError,
    heartbeatAgeSeconds: heartbeatAt === null ? null : Math.max(0, (now - heartbeatAt) / 1000),
    totals: {
      partitions: partitions.length,
      lagRecords: partitions.reduce((sum, p) => sum + (p.lagRecords ?? 0), 0),
      maxLagSeconds: lagged.length === 0 ? null : Math.max(...lagged),
    },
    partitions,
    groups,
    topics: topicViews,
    runningFailover:
      running === null
        ? null
        : { id: running.id, mode: running.mode === "PLANNED" ? "planned" : "unplanned" },
  };
  const verdict = readinessReasons(readiness, {
    flowEnabled: flow.enabled,
    heartbeatIntervalSeconds: spec.emitHeartbeats ? spec.emitHeartbeatsIntervalMs / 1000 : null,
    checkpointIntervalSeconds: spec.emitCheckpoints ? spec.emitCheckpointsIntervalMs / 1000 : null,
  });
  return { ...readiness, ...verdict };
}

/** The flow's consumer groups on both sides, with the offsets they would get on the target. */
async function observeGroups(
  ctx: FailoverContext,
  topics: string[],
  leader: FlowLeaderStatus | null,
  sourceReachable: boolean,
  targetReachable: boolean,
  now: number,
): Promise<GroupReadiness[]> {
  const { spec } = ctx;
  const filter = new DefaultGroupFilter({ groups: spec.groupsInclude, groupsExclude: spec.groupsExclude });
  const translated = new Map((leader?.groups ?? []).map((g) => [g.group, g]));
  const committed = new Map<string, { topic: string; partition: number; offset: number }[]>();
  if (sourceReachable && topics.length > 0) {
    const ids = (await ctx.sourceAdmin.listGroups().catch(() => [] as string[])).filter(
      (g) => !g.startsWith(OWN_GROUP_PREFIX) && filter.shouldReplicateGroup(g),
    );
    await forEachLimit(ids, async (group) => {
      const offsets = await ctx.sourceAdmin.fetchGroupOffsets(group, topics).catch(() => []);
      const flat = offsets.flatMap((t) => t.partitions.map((p) => ({ topic: t.topic, ...p })));
      if (flat.length > 0) committed.set(group, flat);
    });
  } else {
    // The source is gone: the groups its leader last checkpointed.
    for (const g of translated.values()) {
      committed.set(
        g.group,
        g.partitions.map((p) => ({ topic: p.topic, partition: p.partition, offset: p.sourceCommitted })),
      );
    }
  }
  const ids = [...committed.keys()].sort();
  const [sourceStates, targetStates] = await Promise.all([
    sourceReachable ? states(ctx.sourceAdmin, ids) : Promise.resolve(null),
    targetReachable ? states(ctx.targetAdmin, ids) : Promise.resolve(null),
  ]);
  return ids.map((group) => {
    const byPartition = new Map(
      (translated.get(group)?.partitions ?? []).map((p) => [`${p.topic}\u0000${p.partition}`, p]),
    );
    const checkpointTimes = [...byPartition.values()]
      .map((p) => (p.checkpointAt === null ? null : Date.parse(p.checkpointAt)))
      .filter((t): t is number => t !== null);
    const checkpointAt = checkpointTimes.length === 0 ? null : Math.min(...checkpointTimes);
    return {
      group,
      sourceState: sourceStates?.get(group)?.state ?? "unknown",
      sourceMembers: sourceStates?.get(group)?.members ?? 0,
      targetState: targetStates?.get(group)?.state ?? "unknown",
      targetMembers: targetStates?.get(group)?.members ?? 0,
      checkpointAt: checkpointAt === null ? null : new Date(checkpointAt).toISOString(),
      checkpointAgeSeconds: checkpointAt === null ? null : Math.max(0, (now - checkpointAt) / 1000),
      partitions: committed.get(group)!.map((c) => {
        const t = byPartition.get(`${c.topic}\u0000${c.partition}`);
        return {
          topic: c.topic,
          partition: c.partition,
          remoteTopic: ctx.policy.formatRemoteTopic(spec.source.alias, c.topic),
          sourceOffset: c.offset,
          targetOffset: t?.translated ?? null,
          // Records consumed since the checkpoint, plus MM2's translation precision (offset.lag.max).
          maxDuplicates:
            t === undefined || t.translated === null
              ? null
              : Math.max(0, c.offset - t.sourceCommitted) + spec.offsetLagMax,
          note:
            t === undefined || t.translated === null
              ? (t?.note ?? "no checkpoint yet for this partition")
              : t.sourceCommitted !== c.offset
                ? `checkpoint is for offset ${t.sourceCommitted}; the group has moved on since`
                : null,
        };
      }),
    };
  });
}

async function states(admin: ClusterAdmin, ids: string[]) {
  if (ids.length === 0) return new Map();
  return admin.describeGroupStates(ids).catch(() => null);
}

/** Partition counts and synced configs that differ between source topics and remote topics. */
async function observeTopics(
  ctx: FailoverContext,
  topics: string[],
  sourceOffsets: Map<string, PartitionOffsets[]>,
  targetOffsets: Map<string, PartitionOffsets[]>,
  sourceReachable: boolean,
): Promise<TopicReadiness[]> {
  const { spec, policy } = ctx;
  const remote = (t: string) => policy.formatRemoteTopic(spec.source.alias, t);
  const filter = new DefaultConfigPropertyFilter(
    spec.configPropertiesExclude === undefined
      ? {}
      : { configPropertiesExclude: spec.configPropertiesExclude },
  );
  const [sourceConfigs, targetConfigs] = await Promise.all([
    sourceReachable ? ctx.sourceAdmin.describeTopicConfigs(topics).catch(() => null) : null,
    ctx.targetAdmin.describeTopicConfigs([...targetOffsets.keys()].map(remote)).catch(() => null),
  ]);
  return topics.map((topic) => {
    const drift: TopicReadiness["configDrift"] = [];
    const sourceEntries = sourceConfigs?.get(topic);
    const targetEntries = targetConfigs?.get(remote(topic));
    if (spec.syncTopicConfigs && sourceEntries !== undefined && targetEntries !== undefined) {
      const targetValues = new Map(targetEntries.map((e) => [e.name, e.value]));
      for (const e of sourceEntries) {
        if (e.isDefault || e.sensitive || !filter.shouldReplicateConfigProperty(e.name)) continue;
        const value = targetValues.get(e.name) ?? null;
        if (value !== e.value) drift.push({ key: e.name, source: e.value, target: value });
      }
    }
    return {
      topic,
      remoteTopic: remote(topic),
      sourcePartitions: sourceOffsets.get(topic)?.length ?? null,
      targetPartitions: targetOffsets.get(topic)?.length ?? null,
      configDrift: drift,
    };
  });
}

async function forEachLimit<T>(items: readonly T[], task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(CONCURRENCY, items.length) }, async () => {
    while (next < items.length) await task(items[next++]!);
  });
  await Promise.all(runners);
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
