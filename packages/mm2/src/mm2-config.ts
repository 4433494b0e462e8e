import { parseConfigList } from "./config-list.ts";
import {
  intParser,
  oneOfParser,
  parseBooleanValue,
  parseListValue,
  parseLongValue,
  parseStringValue,
  type ValueParser,
} from "./config-values.ts";
import {
  CONFIG_PROPERTIES_EXCLUDE_DEFAULT,
  CONSUMER_AUTO_OFFSET_RESET_DEFAULT,
  EMIT_CHECKPOINTS_ENABLED_DEFAULT,
  EMIT_CHECKPOINTS_INTERVAL_SECONDS_DEFAULT,
  EMIT_HEARTBEATS_ENABLED_DEFAULT,
  EMIT_HEARTBEATS_INTERVAL_SECONDS_DEFAULT,
  EMIT_OFFSET_SYNCS_ENABLED_DEFAULT,
  FLOW_ENABLED_DEFAULT,
  GROUPS_DEFAULT,
  GROUPS_EXCLUDE_DEFAULT,
  OFFSET_LAG_MAX_DEFAULT,
  OFFSET_SYNCS_TOPIC_LOCATION_DEFAULT,
  REFRESH_GROUPS_ENABLED_DEFAULT,
  REFRESH_GROUPS_INTERVAL_SECONDS_DEFAULT,
  REFRESH_TOPICS_ENABLED_DEFAULT,
  REFRESH_TOPICS_INTERVAL_SECONDS_DEFAULT,
  REPLICATION_FACTOR_DEFAULT,
  REPLICATION_POLICY_INTERNAL_TOPIC_SEPARATOR_ENABLED_DEFAULT,
  REPLICATION_POLICY_SEPARATOR_DEFAULT,
  SASL_MECHANISM_DEFAULT,
  SECURITY_PROTOCOL_DEFAULT,
  SYNC_GROUP_OFFSETS_ENABLED_DEFAULT,
  SYNC_GROUP_OFFSETS_INTERVAL_SECONDS_DEFAULT,
  SYNC_TOPIC_ACLS_ENABLED_DEFAULT,
  SYNC_TOPIC_ACLS_INTERVAL_SECONDS_DEFAULT,
  SYNC_TOPIC_CONFIGS_ENABLED_DEFAULT,
  SYNC_TOPIC_CONFIGS_INTERVAL_SECONDS_DEFAULT,
  TASKS_MAX_DEFAULT,
  TOPICS_DEFAULT,
  TOPICS_EXCLUDE_DEFAULT,
} from "./defaults.ts";
import { Mm2Error } from "./mm2-error.ts";
import { parseProperties } from "./mm2-properties.ts";
import type { OffsetSyncsTopicLocation } from "./offset-syncs-topic.ts";
import { PatternList } from "./pattern-list.ts";
import { DEFAULT_REPLICATION_POLICY_CLASS } from "./replication-policy.ts";

/*
 * A typed view of `mm2.properties` (MM2's `MirrorMakerConfig`): the clusters, each
 * cluster's connection settings, and the settings of every flow A->B, resolved with MM2's
 * precedence: flow-specific `A->B.x` over global `x` over MM2's default.
 */

interface SettingSpec<T> {
  key: string;
  parse: ValueParser<T>;
  defaultValue: T;
}

function setting<T>(key: string, parse: ValueParser<T>, defaultValue: T): SettingSpec<T> {
  return { key, parse, defaultValue };
}

const list = (value: string) => parseConfigList(value);
const anyInt = intParser();

const parseAutoOffsetReset: ValueParser<string> = (raw) => {
  const value = parseStringValue(raw);
  if (!value.ok) return value;
  const lower = value.value.toLowerCase();
  if (lower === "earliest" || lower === "latest" || lower === "none") return { ok: true, value: lower };
  if (/^by_duration:P/i.test(value.value)) return value;
  return {
    ok: false,
    reason: `expected earliest, latest, none or by_duration:<ISO-8601>, got ${JSON.stringify(raw)}`,
  };
};

/** Settings of a flow, by the name used in {@link FlowConfig}. */
export const FLOW_SETTINGS = {
  enabled: setting("enabled", parseBooleanValue, FLOW_ENABLED_DEFAULT),
  topics: setting("topics", parseListValue, list(TOPICS_DEFAULT)),
  topicsExclude: setting("topics.exclude", parseListValue, list(TOPICS_EXCLUDE_DEFAULT)),
  groups: setting("groups", parseListValue, list(GROUPS_DEFAULT)),
  groupsExclude: setting("groups.exclude", parseListValue, list(GROUPS_EXCLUDE_DEFAULT)),
  configPropertiesExclude: setting(
    "config.properties.exclude",
    parseListValue,
    list(CONFIG_PROPERTIES_EXCLUDE_DEFAULT),
  ),
  replicationPolicyClass: setting(
    "replication.policy.class",
    parseStringValue,
    DEFAULT_REPLICATION_POLICY_CLASS,
  ),
  // Not trimmed: MM2's policy reads the raw string. It must not be empty.
  replicationPolicySeparator: setting<string>(
    "replication.policy.separator",
    (raw) => (raw.length > 0 ? { ok: true, value: raw } : { ok: false, reason: "must not be empty" }),
    REPLICATION_POLICY_SEPARATOR_DEFAULT,
  ),
  replicationPolicyInternalTopicSeparatorEnabled: setting(
    "replication.policy.internal.topic.separator.enabled",
    parseBooleanValue,
    REPLICATION_POLICY_INTERNAL_TOPIC_SEPARATOR_ENABLED_DEFAULT,
  ),
  replicationFactor: setting("replication.factor", anyInt, REPLICATION_FACTOR_DEFAULT),
  tasksMax: setting("tasks.max", intParser(1), TASKS_MAX_DEFAULT),
  syncTopicConfigsEnabled: setting(
    "sync.topic.configs.enabled",
    parseBooleanValue,
    SYNC_TOPIC_CONFIGS_ENABLED_DEFAULT,
  ),
  syncTopicConfigsIntervalSeconds: setting(
    "sync.topic.configs.interval.seconds",
    parseLongValue,
    SYNC_TOPIC_CONFIGS_INTERVAL_SECONDS_DEFAULT,
  ),
  syncTopicAclsEnabled: setting(
    "sync.topic.acls.enabled",
    parseBooleanValue,
    SYNC_TOPIC_ACLS_ENABLED_DEFAULT,
  ),
  syncTopicAclsIntervalSeconds: setting(
    "sync.topic.acls.interval.seconds",
    parseLongValue,
    SYNC_TOPIC_ACLS_INTERVAL_SECONDS_DEFAULT,
  ),
  syncGroupOffsetsEnabled: setting(
    "sync.group.offsets.enabled",
    parseBooleanValue,
    SYNC_GROUP_OFFSETS_ENABLED_DEFAULT,
  ),
  syncGroupOffsetsIntervalSeconds: setting(
    "sync.group.offsets.interval.seconds",
    parseLongValue,
    SYNC_GROUP_OFFSETS_INTERVAL_SECONDS_DEFAULT,
  ),
  emitCheckpointsEnabled: setting(
    "emit.checkpoints.enabled",
    parseBooleanValue,
    EMIT_CHECKPOINTS_ENABLED_DEFAULT,
  ),
  emitCheckpointsIntervalSeconds: setting(
    "emit.checkpoints.interval.seconds",
    parseLongValue,
    EMIT_CHECKPOINTS_INTERVAL_SECONDS_DEFAULT,
  ),
  emitHeartbeatsEnabled: setting(
    "emit.heartbeats.enabled",
    parseBooleanValue,
    EMIT_HEARTBEATS_ENABLED_DEFAULT,
  ),
  emitHeartbeatsIntervalSeconds: setting(
    "emit.heartbeats.interval.seconds",
    parseLongValue,
    EMIT_HEARTBEATS_INTERVAL_SECONDS_DEFAULT,
  ),
  refreshTopicsEnabled: setting("refresh.topics.enabled", parseBooleanValue, REFRESH_TOPICS_ENABLED_DEFAULT),
  refreshTopicsIntervalSeconds: setting(
    "refresh.topics.interval.seconds",
    parseLongValue,
    REFRESH_TOPICS_INTERVAL_SECONDS_DEFAULT,
  ),
  refreshGroupsEnabled: setting("refresh.groups.enabled", parseBooleanValue, REFRESH_GROUPS_ENABLED_DEFAULT),
  refreshGroupsIntervalSeconds: setting(
    "refresh.groups.interval.seconds",
    parseLongValue,
    REFRESH_GROUPS_INTERVAL_SECONDS_DEFAULT,
  ),
  offsetLagMax: setting("offset.lag.max", parseLongValue, OFFSET_LAG_MAX_DEFAULT),
  offsetSyncsTopicLocation: setting<OffsetSyncsTopicLocation>(
    "offset-syncs.topic.location",
    oneOfParser<OffsetSyncsTopicLocation>(["source", "target"]),
    OFFSET_SYNCS_TOPIC_LOCATION_DEFAULT,
  ),
  emitOffsetSyncsEnabled: setting(
    "emit.offset-syncs.enabled",
    parseBooleanValue,
    EMIT_OFFSET_SYNCS_ENABLED_DEFAULT,
  ),
  consumerAutoOffsetReset: setting(
    "consumer.auto.offset.reset",
    parseAutoOffsetReset,
    CONSUMER_AUTO_OFFSET_RESET_DEFAULT,
  ),
};

/** Connection settings of a cluster, by the name used in {@link ClusterConfig}. */
export const CLUSTER_SETTINGS = {
  bootstrapServers: setting<string | undefined>("bootstrap.servers", parseStringValue, undefined),
  securityProtocol: setting("security.protocol", parseStringValue, SECURITY_PROTOCOL_DEFAULT),
  saslMechanism: setting("sasl.mechanism", parseStringValue, SASL_MECHANISM_DEFAULT),
  saslJaasConfig: setting<string | undefined>("sasl.jaas.config", parseStringValue, undefined),
};

type SettingValues<S> = { [K in keyof S]: S[K] extends SettingSpec<infer T> ? T : never };

/** Where a resolved value came from. */
export type SettingOrigin = "flow" | "cluster" | "global" | "default";

export type FlowSettingName = keyof typeof FLOW_SETTINGS;
export type ClusterSettingName = keyof typeof CLUSTER_SETTINGS;

/** Resolved settings of flow `source->target`. */
export type FlowConfig = SettingValues<typeof FLOW_SETTINGS> & {
  source: string;
  target: string;
  origins: Record<FlowSettingName, SettingOrigin>;
};

/** Resolved connection settings of a cluster (`<alias>.x` over global `x`). */
export type ClusterConfig = SettingValues<typeof CLUSTER_SETTINGS> & {
  alias: string;
  origins: Record<ClusterSettingName, SettingOrigin>;
};

export type Mm2ConfigIssueCode =
  | "MISSING_CLUSTERS"
  | "TOO_MANY_CLUSTERS"
  | "INVALID_CLUSTER_ALIAS"
  | "INVALID_VALUE"
  | "INVALID_PATTERN"
  | "UNKNOWN_FLOW"
  | "MISSING_BOOTSTRAP_SERVERS"
  | "DUPLICATE_KEY";

export interface Mm2ConfigIssue {
  code: Mm2ConfigIssueCode;
  /** The property at fault, when there is one. */
  key?: string;
  message: string;
}

export interface Mm2Config {
  /** `clusters`, in order, without duplicates. */
  clusters: string[];
  clusterConfigs: ClusterConfig[];
  /** Every ordered pair of distinct clusters; filter on `enabled`. */
  flows: FlowConfig[];
  /** Keys present in the file that this view does not interpret, in file order. */
  unknownKeys: string[];
  /** Problems an operator should fix; invalid values fall back to MM2's default. */
  issues: Mm2ConfigIssue[];
}

const FLOW_KEYS = new Set(Object.values(FLOW_SETTINGS).map((spec) => spec.key));
const CLUSTER_KEYS = new Set(Object.values(CLUSTER_SETTINGS).map((spec) => spec.key));
const CLUSTERS_KEY = "clusters";
/** Every ordered pair is a flow, so the count is capped to keep the view small (9,900 flows). */
export const MAX_CLUSTERS = 100;
const PATTERN_SETTINGS: readonly FlowSettingName[] = [
  "topics",
  "topicsExclude",
  "groups",
  "groupsExclude",
  "configPropertiesExclude",
];

/** Reads the typed view from parsed properties (see {@link parseProperties}). */
export function readMm2Config(properties: ReadonlyMap<string, string>): Mm2Config {
  const issues: Mm2ConfigIssue[] = [];
  const clusters = readClusters(properties, issues);
  const reported = new Set<string>();
  const report = (issue: Mm2ConfigIssue): void => {
    const id = `${issue.code}\u0000${issue.key ?? ""}`;
    if (!reported.has(id)) {
      reported.add(id);
      issues.push(issue);
    }
  };

  const clusterConfigs = clusters.map((alias) => {
    const resolved = resolveAll(
      CLUSTER_SETTINGS,
      properties,
      [`${alias}.`, ""],
      ["cluster", "global"],
      report,
    );
    return { alias, ...resolved.values, origins: resolved.origins } as ClusterConfig;
  });

  const flows: FlowConfig[] = [];
  const patternErrors = new Map<string, string | undefined>();
  for (const source of clusters) {
    for (const target of clusters) {
      if (source === target) continue;
      const resolved = resolveAll(
        FLOW_SETTINGS,
        properties,
        [`${source}->${target}.`, ""],
        ["flow", "global"],
        report,
      );
      const flow = { source, target, ...resolved.values, origins: resolved.origins } as FlowConfig;
      checkPatterns(flow, patternErrors, report);
      if (flow.enabled) checkBootstrapServers(flow, clusterConfigs, report);
      flows.push(flow);
    }
  }

  const clusterSet = new Set(clusters);
  const unknownKeys = [...properties.keys()].filter((key) => !isUnderstood(key, clusterSet));
  for (const key of unknownKeys) {
    if (key.includes("->") && !namesKnownFlow(key, clusterSet)) {
      report({
        code: "UNKNOWN_FLOW",
        key,
        message: `${key} names a flow between clusters that are not all listed in "clusters"`,
      });
    }
  }
  return { clusters, clusterConfigs, flows, unknownKeys, issues };
}

/**
 * Parses `mm2.properties` text and reads its typed view, reporting repeated keys (the last
 * value wins, as in Java). Throws Mm2FormatError on unreadable input.
 */
export function parseMm2Config(input: string | Uint8Array): Mm2Config {
  const { properties, duplicateKeys } = parseProperties(input);
  const config = readMm2Config(properties);
  for (const key of new Set(duplicateKeys)) {
    config.issues.push({
      code: "DUPLICATE_KEY",
      key,
      message: `${key} is set more than once; the last value is used`,
    });
  }
  return config;
}

/** True for keys whose values are secrets (JAAS configs, passwords, private keys): redact them. */
export function isSensitiveKey(key: string): boolean {
  return (
    key.endsWith("sasl.jaas.config") ||
    key.endsWith(".password") ||
    key === "password" ||
    key.endsWith("ssl.keystore.key")
  );
}

function readClusters(properties: ReadonlyMap<string, string>, issues: Mm2ConfigIssue[]): string[] {
  const raw = properties.get(CLUSTERS_KEY);
  const aliases = raw === undefined ? [] : parseConfigList(raw);
  if (aliases.length === 0) {
    issues.push({
      code: "MISSING_CLUSTERS",
      key: CLUSTERS_KEY,
      message: 'No clusters: "clusters" must list the cluster aliases, e.g. clusters = primary, backup',
    });
  }
  const clusters: string[] = [];
  const seen = new Set<string>();
  for (const alias of aliases) {
    if (alias.length === 0 || alias.includes("->")) {
      issues.push({
        code: "INVALID_CLUSTER_ALIAS",
        key: CLUSTERS_KEY,
        message: `Cluster alias ${JSON.stringify(alias)} is not usable: aliases must be non-empty and must not contain "->"`,
      });
    } else if (!seen.has(alias)) {
      seen.add(alias);
      if (clusters.length === MAX_CLUSTERS) {
        issues.push({
          code: "TOO_MANY_CLUSTERS",
          key: CLUSTERS_KEY,
          message: `More than ${MAX_CLUSTERS} clusters are listed; only the first ${MAX_CLUSTERS} are read`,
        });
        break;
      }
      clusters.push(alias);
    }
  }
  return clusters;
}

function resolveAll<S extends Record<string, SettingSpec<unknown>>>(
  specs: S,
  properties: ReadonlyMap<string, string>,
  prefixes: readonly [string, string],
  origins: readonly [SettingOrigin, SettingOrigin],
  report: (issue: Mm2ConfigIssue) => void,
): { values: Record<keyof S, unknown>; origins: Record<keyof S, SettingOrigin> } {
  const values = {} as Record<keyof S, unknown>;
  const resolvedOrigins = {} as Record<keyof S, SettingOrigin>;
  for (const name of Object.keys(specs) as (keyof S)[]) {
    const spec = specs[name]!;
    values[name] = spec.defaultValue;
    resolvedOrigins[name] = "default";
    for (let level = 0; level < prefixes.length; level++) {
      const key = prefixes[level] + spec.key;
      const raw = properties.get(key);
      if (raw === undefined) continue;
      const parsed = spec.parse(raw);
      if (parsed.ok) {
        values[name] = parsed.value;
        resolvedOrigins[name] = origins[level]!;
      } else {
        report({ code: "INVALID_VALUE", key, message: `${key}: ${parsed.reason}; using the default` });
      }
      break;
    }
  }
  return { values, origins: resolvedOrigins };
}

function checkPatterns(
  flow: FlowConfig,
  patternErrors: Map<string, string | undefined>,
  report: (issue: Mm2ConfigIssue) => void,
): void {
  for (const name of PATTERN_SETTINGS) {
    if (flow.origins[name] === "default") continue;
    const entries = flow[name] as string[];
    const cacheKey = entries.join("\u0000");
    if (!patternErrors.has(cacheKey)) patternErrors.set(cacheKey, patternError(entries));
    const message = patternErrors.get(cacheKey);
    if (message === undefined) continue;
    const settingKey = FLOW_SETTINGS[name].key;
    const key = flow.origins[name] === "flow" ? `${flow.source}->${flow.target}.${settingKey}` : settingKey;
    report({ code: "INVALID_PATTERN", key, message: `${key}: ${message}` });
  }
}

function patternError(entries: readonly string[]): string | undefined {
  try {
    PatternList.compile(entries);
    return undefined;
  } catch (error) {
    if (error instanceof Mm2Error) return error.message;
    throw error;
  }
}

function checkBootstrapServers(
  flow: FlowConfig,
  clusterConfigs: readonly ClusterConfig[],
  report: (issue: Mm2ConfigIssue) => void,
): void {
  for (const alias of [flow.source, flow.target]) {
    const cluster = clusterConfigs.find((config) => config.alias === alias);
    if (cluster !== undefined && (cluster.bootstrapServers ?? "") === "") {
      report({
        code: "MISSING_BOOTSTRAP_SERVERS",
        key: `${alias}.bootstrap.servers`,
        message: `Flow ${flow.source}->${flow.target} is enabled but cluster ${alias} has no ${alias}.bootstrap.servers`,
      });
    }
  }
}

/** True when `key` starts with "<source>-><target>." for two listed clusters. */
function namesKnownFlow(key: string, clusters: ReadonlySet<string>): boolean {
  const arrow = key.indexOf("->");
  const source = key.slice(0, arrow);
  for (let dot = key.indexOf(".", arrow); dot >= 0; dot = key.indexOf(".", dot + 1)) {
    const target = key.slice(arrow + 2, dot);
    if (source !== target && clusters.has(source) && clusters.has(target)) return true;
  }
  return false;
}

function isUnderstood(key: string, clusters: ReadonlySet<string>): boolean {
  if (key === CLUSTERS_KEY || FLOW_KEYS.has(key) || CLUSTER_KEYS.has(key)) return true;
  // Try every "<prefix>.<setting>" split: "<alias>.<cluster key>" or "<source>-><target>.<flow key>".
  for (let dot = key.indexOf("."); dot >= 0; dot = key.indexOf(".", dot + 1)) {
    const prefix = key.slice(0, dot);
    const rest = key.slice(dot + 1);
    if (CLUSTER_KEYS.has(rest) && clusters.has(prefix)) return true;
    const arrow = prefix.indexOf("->");
    if (arrow >= 0 && FLOW_KEYS.has(rest)) {
      const source = prefix.slice(0, arrow);
      const target = prefix.slice(arrow + 2);
      if (source !== target && clusters.has(source) && clusters.has(target)) return true;
    }
  }
  return false;
}
