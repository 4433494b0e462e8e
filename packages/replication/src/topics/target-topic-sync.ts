import type { ConfigPropertyFilter } from "@mirrordeck/mm2";
import { AdminError } from "../kafkajs/admin-error.ts";
import { mapLimit } from "../map-limit.ts";
import type { ClusterAdmin, TopicConfigEntry } from "../ports/cluster-admin.ts";

/*
 * MM2's MirrorSourceConnector topic housekeeping: create missing remote topics, grow their
 * partitions with the source, and copy topic configs (`sync.topic.configs.enabled`).
 *
 * Differences from MM2 on purpose:
 * - Only values set on the source topic itself (DYNAMIC_TOPIC_CONFIG) are copied. MM2's legacy
 *   (non-incremental) path also copies dynamic broker configs as if they were topic overrides.
 * - Config sync merges into the target's own overrides instead of replacing them, so an
 *   operator's edit on the target survives (the concern of KIP-894).
 */

/** Set on the topic itself (not a broker value or the built-in default) and readable. */
function isCopyable(entry: TopicConfigEntry): entry is TopicConfigEntry & { value: string } {
  return !entry.isDefault && !entry.readOnly && !entry.sensitive && entry.value !== null;
}

/**
 * The configs a new remote topic gets: the source topic's own (dynamic) values, minus
 * `config.properties.exclude` (MM2's DefaultConfigPropertyFilter), read-only and sensitive ones.
 */
export function planTopicConfigs(
  sourceEntries: readonly TopicConfigEntry[],
  filter: ConfigPropertyFilter,
): Record<string, string> {
  const configs: Record<string, string> = {};
  for (const entry of sourceEntries) {
    if (isCopyable(entry) && filter.shouldReplicateConfigProperty(entry.name)) {
      configs[entry.name] = entry.value;
    }
  }
  return configs;
}

export interface ConfigMergePlan {
  /** False when the target already has every value: nothing to write. */
  changed: boolean;
  /** The complete set of dynamic configs the target topic should have (for a non-incremental write). */
  configs: Record<string, string>;
  /** Keys whose value is new or different on the target, in source order. */
  updatedKeys: string[];
}

/**
 * Config sync for an existing remote topic: the target's current dynamic configs (kept, including
 * keys only the target has and excluded keys an operator set there) overlaid with the filtered
 * dynamic configs of the source.
 */
export function planConfigMerge(
  sourceEntries: readonly TopicConfigEntry[],
  targetEntries: readonly TopicConfigEntry[],
  filter: ConfigPropertyFilter,
): ConfigMergePlan {
  const configs: Record<string, string> = {};
  for (const entry of targetEntries) {
    if (!entry.isDefault && !entry.readOnly && entry.value !== null) configs[entry.name] = entry.value;
  }
  const updatedKeys: string[] = [];
  for (const [name, value] of Object.entries(planTopicConfigs(sourceEntries, filter))) {
    if (configs[name] !== value) {
      configs[name] = value;
      updatedKeys.push(name);
    }
  }
  return { changed: updatedKeys.length > 0, configs, updatedKeys };
}

/** Topic creations, partition additions and config writes a sync has in flight at a time. */
export const ADMIN_WRITES_IN_FLIGHT = 16;

export type TopicSyncErrorCode =
  | AdminError["code"]
  /** The selected topic is not (or no longer) on the source. */
  | "SOURCE_TOPIC_MISSING"
  /** The remote topic has fewer partitions than the source and could not be grown. */
  | "TARGET_TOPIC_TOO_SMALL"
  /** The target topic has a dynamic config whose value cannot be read back, so a write would drop it. */
  | "TARGET_CONFIG_UNREADABLE";

export interface TopicSyncError {
  code: TopicSyncErrorCode;
  message: string;
}

export interface TopicSyncOutcome {
  /** Source topic. */
  topic: string;
  remoteTopic: string;
  /** The remote topic was created by this sync. */
  created: boolean;
  /** Set when this sync grew the remote topic: its new partition count. */
  partitionsAddedTo?: number;
  /** Config keys written to the remote topic by this sync (on creation: the copied ones). */
  configsUpdated: string[];
  /** Partitions of the remote topic after the sync (0 when unknown because of an error). */
  targetPartitions: number;
  /** The remote topic is missing or too small: records of this topic cannot be copied. */
  error?: TopicSyncError;
  /**
   * Config sync failed, but the remote topic exists and is large enough, so copying can go on
   * (as in MM2, where a failed config sync is only logged).
   */
  configError?: TopicSyncError;
  /**
   * Config sync is off and these source settings differ on the remote topic (what a sync would
   * write): the target has drifted, and only an operator puts it back.
   */
  configDrift?: string[];
}

export interface SyncTargetTopicsOptions {
  source: ClusterAdmin;
  target: ClusterAdmin;
  sourceAlias: string;
  /** Selected source topics (already filtered by the flow's topic selection). */
  topics: string[];
  /** Remote topic name of a source topic (the replication policy). */
  remoteName: (topic: string) => string;
  /** Of newly created remote topics. */
  replicationFactor: number;
  configFilter: ConfigPropertyFilter;
  /** `sync.topic.configs.enabled`: merge source configs into existing remote topics. */
  syncConfigs: boolean;
}

/**
 * Creates missing remote topics (source partition count, `replicationFactor`, filtered configs),
 * grows remote topics that have fewer partitions than the source (never shrinks; more on the
 * target is fine) and, with `syncConfigs`, merges source configs into existing remote topics,
 * writing only when something differs (without it, reports what differs as `configDrift`). Admin reads are batched: one partitionCounts and at most
 * one describeTopicConfigs per cluster. Never throws: each topic's failure is in its outcome and
 * does not stop the others. Outcomes follow the order of `topics` (duplicates removed).
 */
export async function syncTargetTopics(options: SyncTargetTopicsOptions): Promise<TopicSyncOutcome[]> {
  const { source, target, sourceAlias, configFilter, syncConfigs } = options;
  const topics = [...new Set(options.topics)];
  const outcomes = new Map<string, TopicSyncOutcome>();
  const remotes = new Map<string, string>();
  for (const topic of topics) {
    const outcome: TopicSyncOutcome = {
      topic,
      remoteTopic: "",
      created: false,
      configsUpdated: [],
      targetPartitions: 0,
    };
    outcomes.set(topic, outcome);
    try {
      outcome.remoteTopic = options.remoteName(topic);
      remotes.set(topic, outcome.remoteTopic);
    } catch (error) {
      outcome.error = toSyncError(error);
    }
  }
  const ordered = () => topics.map((topic) => outcomes.get(topic)!);
  const pending = () => [...remotes.keys()].filter((topic) => outcomes.get(topic)?.error === undefined);

  const [sourceCounts, targetCounts] = await Promise.all([
    settle(() => source.partitionCounts(pending())),
    settle(() => target.partitionCounts(pending().map((topic) => remotes.get(topic)!))),
  ]);
  for (const topic of pending()) {
    const outcome = outcomes.get(topic)!;
    if (!sourceCounts.ok) outcome.error = toSyncError(sourceCounts.error);
    else if (!targetCounts.ok) outcome.error = toSyncError(targetCounts.error);
    else if (!sourceCounts.value.has(topic)) {
      outcome.error = {
        code: "SOURCE_TOPIC_MISSING",
        message: `Topic "${topic}" does not exist on ${sourceAlias} (${source.alias}), so "${outcome.remoteTopic}" is not created or synced.`,
      };
    }
  }
  if (!sourceCounts.ok || !targetCounts.ok) return ordered();

  const work = pending();
  const existing = work.filter((topic) => targetCounts.value.has(remotes.get(topic)!));

  // Source configs are needed to create topics; both sides' to sync configs or, with sync off, to
  // tell what has drifted.
  const [sourceConfigs, targetConfigs] = await Promise.all([
    work.length === 0
      ? Promise.resolve(ok(new Map<string, TopicConfigEntry[]>()))
      : settle(() => source.describeTopicConfigs(work)),
    existing.length === 0
      ? Promise.resolve(ok(new Map<string, TopicConfigEntry[]>()))
      : settle(() => target.describeTopicConfigs(existing.map((topic) => remotes.get(topic)!))),
  ]);

  // Bounded: a flow over a thousand new topics would otherwise send a thousand CreateTopics at
  // once, and a small broker times them all out.
  await mapLimit(work, ADMIN_WRITES_IN_FLIGHT, async (topic) => {
    const outcome = outcomes.get(topic)!;
    const remoteTopic = outcome.remoteTopic;
    const sourcePartitions = sourceCounts.value.get(topic)!;
    const targetPartitions = targetCounts.value.get(remoteTopic);
    try {
      if (targetPartitions === undefined) {
        const entries = configsOf(sourceConfigs, topic, source.alias);
        const configs = planTopicConfigs(entries, configFilter);
        await target.createTopic({
          name: remoteTopic,
          partitions: sourcePartitions,
          replicationFactor: options.replicationFactor,
          configs,
        });
        outcome.created = true;
        outcome.targetPartitions = sourcePartitions;
        outcome.configsUpdated = Object.keys(configs);
        return;
      }
      outcome.targetPartitions = targetPartitions;
      if (targetPartitions < sourcePartitions) {
        try {
          await target.createPartitions(remoteTopic, sourcePartitions);
        } catch (error) {
          const cause = toSyncError(error);
          outcome.error = {
            code: "TARGET_TOPIC_TOO_SMALL",
            message: `Target topic too small: "${remoteTopic}" on ${target.alias} has ${targetPartitions} partitions, "${topic}" on ${source.alias} has ${sourcePartitions}, and growing it failed: ${cause.message}`,
          };
          return;
        }
        outcome.partitionsAddedTo = sourcePartitions;
        outcome.targetPartitions = sourcePartitions;
      }
    } catch (error) {
      outcome.error = toSyncError(error);
      return;
    }
    try {
      const sourceEntries = configsOf(sourceConfigs, topic, source.alias);
      const targetEntries = configsOf(targetConfigs, remoteTopic, target.alias);
      const plan = planConfigMerge(sourceEntries, targetEntries, configFilter);
      if (!plan.changed) return;
      if (!syncConfigs) {
        outcome.configDrift = plan.updatedKeys;
        return;
      }
      const unreadable = targetEntries.filter((entry) => !entry.isDefault && entry.value === null);
      if (unreadable.length > 0) {
        outcome.configError = {
          code: "TARGET_CONFIG_UNREADABLE",
          message: `Configs of "${remoteTopic}" on ${target.alias} not synced: ${unreadable.map((entry) => entry.name).join(", ")} cannot be read back and would be lost by a rewrite.`,
        };
        return;
      }
      await target.replaceTopicConfigs(remoteTopic, plan.configs);
      outcome.configsUpdated = plan.updatedKeys;
    } catch (error) {
      // With sync off, configs were only read to look for drift: not knowing is no error.
      if (syncConfigs) outcome.configError = toSyncError(error);
    }
  });
  return ordered();
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

function ok<T>(value: T): Settled<T> {
  return { ok: true, value };
}

async function settle<T>(run: () => Promise<T>): Promise<Settled<T>> {
  try {
    return ok(await run());
  } catch (error) {
    return { ok: false, error };
  }
}

function configsOf(
  described: Settled<Map<string, TopicConfigEntry[]>>,
  topic: string,
  clusterAlias: string,
): TopicConfigEntry[] {
  if (!described.ok) throw described.error;
  const entries = described.value.get(topic);
  if (entries === undefined) {
    throw new AdminError("UNKNOWN", `No configs returned for topic "${topic}" by ${clusterAlias}.`, {
      clusterAlias,
      topic,
    });
  }
  return entries;
}

function toSyncError(error: unknown): TopicSyncError {
  if (error instanceof AdminError) return { code: error.code, message: error.message };
  return { code: "UNKNOWN", message: error instanceof Error ? error.message : String(error) };
}
