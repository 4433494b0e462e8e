import {
  clusterAliasSchema,
  type FlowDefinition,
  flowSettingsSchema,
  type SaslMechanismName,
  type SecurityProtocol,
} from "@mirrordeck/contracts";
import {
  FLOW_SETTINGS,
  type FlowSettingName,
  formatConfigList,
  IDENTITY_REPLICATION_POLICY_CLASS,
  serializeProperties,
} from "@mirrordeck/mm2";
import { Mm2InterchangeError } from "./errors.ts";
import { formatJaasConfig, LOGIN_MODULES } from "./jaas.ts";
import {
  canonicalList,
  isDefaultList,
  LIST_FIELDS,
  mm2Default,
  mm2Key,
  SETTING_MAPPINGS,
} from "./mapping.ts";
import { passwordEnvVar } from "./placeholders.ts";

/** A cluster as the exporter needs it: no secrets ever reach it (a `ClusterDetail` fits). */
export interface ExportCluster {
  alias: string;
  bootstrapServers: string;
  securityProtocol: SecurityProtocol;
  sasl: { mechanism: SaslMechanismName; username: string } | null;
}

export interface ExportTopology {
  clusters: ExportCluster[];
  flows: FlowDefinition[];
}

export interface ExportOptions {
  /** Written in the header comment; now by default. */
  generatedAt?: Date;
}

export const ENV_CONFIG_PROVIDER_CLASS = "org.apache.kafka.common.config.provider.EnvVarConfigProvider";

const SASL_PROTOCOLS = new Set<SecurityProtocol>(["SASL_PLAINTEXT", "SASL_SSL"]);

/**
 * Writes MirrorDeck's clusters and flows as an `mm2.properties` file MM2 accepts: every flow
 * as `A->B.enabled` plus the settings that differ from MM2's defaults. SASL passwords are
 * `${env:MIRRORDECK_<ALIAS>_SASL_PASSWORD}` placeholders, read by Kafka's EnvVarConfigProvider.
 *
 * Throws {@link Mm2InterchangeError} MM2_EXPORT_INVALID when the topology cannot be one file
 * (no clusters, a duplicate alias, a flow between unknown clusters, two flows with the same
 * source and target).
 */
export function exportMm2Properties(topology: ExportTopology, options: ExportOptions = {}): string {
  checkTopology(topology);
  const generatedAt = options.generatedAt ?? new Date();
  const entries: [string, string][] = [];
  const comments = [
    "MirrorMaker 2 configuration exported by MirrorDeck",
    `Generated at ${generatedAt.toISOString()}`,
    "Settings equal to MM2's defaults are left out.",
  ];

  entries.push(["clusters", formatConfigList(topology.clusters.map((cluster) => cluster.alias))]);
  const passwordVars = passwordVariables(topology.clusters);
  if (passwordVars.size > 0) {
    entries.push(["config.providers", "env"]);
    entries.push(["config.providers.env.class", ENV_CONFIG_PROVIDER_CLASS]);
    comments.push(
      "SASL passwords are read from environment variables (EnvVarConfigProvider, Kafka 3.5 or later):",
    );
    for (const [alias, variable] of passwordVars)
      comments.push(`  ${variable}: password of cluster ${alias}`);
  }
  for (const cluster of topology.clusters) {
    const prefix = `${cluster.alias}.`;
    entries.push([`${prefix}bootstrap.servers`, cluster.bootstrapServers]);
    if (cluster.securityProtocol !== "PLAINTEXT")
      entries.push([`${prefix}security.protocol`, cluster.securityProtocol]);
    const variable = passwordVars.get(cluster.alias);
    if (cluster.sasl !== null && variable !== undefined) {
      entries.push([`${prefix}sasl.mechanism`, cluster.sasl.mechanism]);
      entries.push([
        `${prefix}sasl.jaas.config`,
        formatJaasConfig(LOGIN_MODULES[cluster.sasl.mechanism], [
          ["username", cluster.sasl.username],
          ["password", `\${env:${variable}}`],
        ]),
      ]);
    }
  }

  for (const flow of topology.flows) {
    const pair = `${flow.sourceAlias}->${flow.targetAlias}`;
    if (flow.name !== pair) comments.push(`Flow ${pair} is MirrorDeck flow "${flow.name}"`);
    entries.push(...flowEntries(flow, `${pair}.`));
  }

  return serializeProperties(entries, { comments });
}

function flowEntries(flow: FlowDefinition, prefix: string): [string, string][] {
  const entries: [string, string][] = [[`${prefix}${mm2Key("enabled")}`, String(flow.enabled)]];
  const put = (name: FlowSettingName, value: string) => entries.push([`${prefix}${mm2Key(name)}`, value]);

  for (const { field, mm2 } of LIST_FIELDS) {
    if (!isDefaultList(mm2, flow[field])) put(mm2, canonicalList(flow[field]));
  }
  if (flow.replicationPolicy === "IDENTITY") put("replicationPolicyClass", IDENTITY_REPLICATION_POLICY_CLASS);
  if (flow.separator !== FLOW_SETTINGS.replicationPolicySeparator.defaultValue) {
    put("replicationPolicySeparator", flow.separator);
  }
  if (flow.startPosition === "LATEST") put("consumerAutoOffsetReset", "latest");
  if (flow.tasksMax !== FLOW_SETTINGS.tasksMax.defaultValue) put("tasksMax", String(flow.tasksMax));
  if (flow.replicationFactor !== FLOW_SETTINGS.replicationFactor.defaultValue) {
    put("replicationFactor", String(flow.replicationFactor));
  }

  for (const { setting, mm2, ...kind } of SETTING_MAPPINGS) {
    const raw = flow.settings[setting];
    if (raw === undefined) continue;
    const checked = flowSettingsSchema.shape[setting].safeParse(raw);
    if (!checked.success) {
      throw new Mm2InterchangeError(
        "MM2_EXPORT_INVALID",
        `Flow ${flow.name}: setting ${setting} is invalid: ${checked.error.issues.map((issue) => issue.message).join("; ")}`,
      );
    }
    const value = checked.data;
    if ("list" in kind) {
      if (typeof value === "string" && !isDefaultList(mm2, value)) put(mm2, canonicalList(value));
    } else if (value !== undefined && value !== mm2Default(mm2)) {
      put(mm2, String(value));
    }
  }
  return entries;
}

function checkTopology(topology: ExportTopology): void {
  const fail = (message: string): never => {
    throw new Mm2InterchangeError("MM2_EXPORT_INVALID", message);
  };
  if (topology.clusters.length === 0) fail("There is nothing to export: MM2 needs at least one cluster");
  const aliases = new Set<string>();
  for (const { alias } of topology.clusters) {
    if (!clusterAliasSchema.safeParse(alias).success)
      fail(`Cluster alias ${JSON.stringify(alias)} cannot be written for MM2`);
    if (aliases.has(alias)) fail(`Cluster ${alias} is listed twice`);
    aliases.add(alias);
  }
  const pairs = new Map<string, string>();
  for (const flow of topology.flows) {
    for (const alias of [flow.sourceAlias, flow.targetAlias]) {
      if (!aliases.has(alias)) fail(`Flow ${flow.name} uses cluster ${alias}, which is not exported`);
    }
    if (flow.sourceAlias === flow.targetAlias) fail(`Flow ${flow.name} has the same source and target`);
    const pair = `${flow.sourceAlias}->${flow.targetAlias}`;
    const other = pairs.get(pair);
    if (other !== undefined) {
      fail(
        `Flows ${other} and ${flow.name} both replicate ${pair}; an mm2.properties file has one flow per pair`,
      );
    }
    pairs.set(pair, flow.name);
  }
}

/** alias → environment variable of its SASL password, for the clusters that use SASL; names kept unique. */
function passwordVariables(clusters: readonly ExportCluster[]): Map<string, string> {
  const variables = new Map<string, string>();
  const used = new Set<string>();
  for (const cluster of clusters) {
    if (cluster.sasl === null || !SASL_PROTOCOLS.has(cluster.securityProtocol)) continue;
    const base = passwordEnvVar(cluster.alias);
    let variable = base;
    for (let n = 2; used.has(variable); n++)
      variable = base.replace(/_SASL_PASSWORD$/, `_${n}_SASL_PASSWORD`);
    used.add(variable);
    variables.set(cluster.alias, variable);
  }
  return variables;
}
