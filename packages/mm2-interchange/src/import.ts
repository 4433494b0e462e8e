import {
  type ClusterCreate,
  clusterCreateSchema,
  type FlowCreate,
  flowCreateSchema,
  type SaslMechanismName,
  saslMechanismSchema,
} from "@mirrordeck/contracts";
import {
  CLUSTER_SETTINGS,
  type ClusterConfig,
  type ClusterSettingName,
  DEFAULT_REPLICATION_POLICY_CLASS,
  FLOW_SETTINGS,
  type FlowConfig,
  type FlowSettingName,
  formatConfigList,
  IDENTITY_REPLICATION_POLICY_CLASS,
  isSensitiveKey,
  MAX_PROPERTIES_BYTES,
  type Mm2Config,
  type Mm2ConfigIssueCode,
  Mm2FormatError,
  parseProperties,
  readMm2Config,
} from "@mirrordeck/mm2";
import { Mm2InterchangeError } from "./errors.ts";
import { LOGIN_MODULES, parseJaasConfig } from "./jaas.ts";
import { isDefaultList, LIST_FIELDS, mm2Default, mm2Key, SETTING_MAPPINGS } from "./mapping.ts";
import { findPlaceholders, hasPlaceholder, isConfigProviderKey } from "./placeholders.ts";

/** What MirrorDeck already has, to tell new, unchanged and conflicting items apart. */
export interface ExistingTopology {
  clusters: { alias: string; bootstrapServers: string; securityProtocol: string }[];
  flows: { sourceAlias: string; targetAlias: string; name: string }[];
}

export interface PlannedCluster {
  alias: string;
  /** "unchanged": same alias, bootstrap servers and security protocol exist; "conflict": the alias exists with other values. */
  action: "create" | "unchanged" | "conflict";
  /**
   * Parsed with `clusterCreateSchema`. When the file's password is a config-provider
   * placeholder, `sasl.password` is left out and {@link passwordPlaceholder} says which one:
   * the operator must supply the password before the input is sent.
   */
  input: ClusterCreate;
  /** What differs from the existing cluster (action "conflict"). */
  conflict?: string;
  /** The `${provider:...}` the file reads the SASL password from; the password is then absent. */
  passwordPlaceholder?: string;
}

export interface PlannedFlow {
  /** `${source}->${target}`. */
  name: string;
  action: "create" | "conflict";
  /** Parsed with `flowCreateSchema`; `enabled` is true (only enabled MM2 flows are planned). */
  input: FlowCreate;
  /** Which existing flow it collides with (action "conflict"). */
  conflict?: string;
}

export interface IgnoredKey {
  key: string;
  reason: string;
}

export type ImportIssueCode =
  | Mm2ConfigIssueCode
  | "INVALID_CLUSTER"
  | "UNSUPPORTED_SASL_MECHANISM"
  | "INVALID_JAAS_CONFIG"
  | "UNRESOLVED_PLACEHOLDER"
  | "FLOW_CLUSTER_NOT_IMPORTED"
  | "UNSUPPORTED_POLICY"
  | "INVALID_FLOW";

export interface ImportIssue {
  code: ImportIssueCode;
  /** The MM2 property at fault, when there is one. */
  key?: string;
  message: string;
}

export interface ImportPlan {
  clusters: PlannedCluster[];
  flows: PlannedFlow[];
  /** Keys of the file that are not imported, each with why; never their values. */
  ignoredKeys: IgnoredKey[];
  /** Problems to fix before (or instead of) importing; clusters and flows named here are not planned. */
  issues: ImportIssue[];
  /** Config-provider placeholders the file reads secrets from: the operator must supply these values. */
  placeholdersNeeded: string[];
}

/**
 * Plans the import of an `mm2.properties` file into MirrorDeck: the clusters and flows to
 * create, and what cannot be imported and why. Pure: nothing is created.
 *
 * Throws {@link Mm2InterchangeError} (never anything else) when the file cannot be used at all:
 * MM2_FILE_UNREADABLE, MM2_FILE_TOO_LARGE or MM2_FILE_INVALID.
 */
export function planMm2Import(input: string | Uint8Array, existing: ExistingTopology): ImportPlan {
  const { properties, duplicateKeys } = readProperties(input);
  const config = readMm2Config(properties);
  if (config.clusters.length === 0) {
    const reasons = config.issues
      .filter((issue) => issue.code === "MISSING_CLUSTERS" || issue.code === "INVALID_CLUSTER_ALIAS")
      .map((issue) => issue.message);
    throw new Mm2InterchangeError(
      "MM2_FILE_INVALID",
      `This is not an mm2.properties file MirrorDeck can import: it lists no usable clusters${reasons.length > 0 ? ` (${reasons.join("; ")})` : ""}`,
    );
  }
  for (const key of new Set(duplicateKeys)) {
    config.issues.push({
      code: "DUPLICATE_KEY",
      key,
      message: `${key} is set more than once; the last value is used`,
    });
  }
  return new ImportPlanner(properties, config, existing).plan();
}

// ---------------------------------------------------------------------------------------------
// Reading the file

function readProperties(input: string | Uint8Array): ReturnType<typeof parseProperties> {
  const size = typeof input === "string" ? Buffer.byteLength(input, "utf8") : input.byteLength;
  if (size > MAX_PROPERTIES_BYTES) {
    throw new Mm2InterchangeError(
      "MM2_FILE_TOO_LARGE",
      `The file is ${size} bytes; mm2.properties files of at most ${MAX_PROPERTIES_BYTES} bytes (1 MiB) are accepted`,
    );
  }
  const unreadable = unreadableReason(input);
  if (unreadable !== undefined) {
    throw new Mm2InterchangeError(
      "MM2_FILE_UNREADABLE",
      `The file is not an mm2.properties text file: ${unreadable}`,
    );
  }
  try {
    return parseProperties(input);
  } catch (error) {
    if (!(error instanceof Mm2FormatError)) throw error;
    switch (error.code) {
      case "MM2_PROPERTIES_TOO_LARGE":
        throw new Mm2InterchangeError("MM2_FILE_TOO_LARGE", error.message, { cause: error });
      case "MM2_PROPERTIES_BINARY":
      case "MM2_PROPERTIES_INVALID_UTF8":
        throw new Mm2InterchangeError(
          "MM2_FILE_UNREADABLE",
          `The file is not an mm2.properties text file: ${error.message}`,
          { cause: error },
        );
      default: {
        // Say where, not what: the line may hold a secret.
        const line = error.details?.line;
        throw new Mm2InterchangeError(
          "MM2_FILE_INVALID",
          `${typeof line === "number" ? `Line ${line}: ` : ""}malformed \\uXXXX escape; a \\u must be followed by four hex digits`,
          { cause: error },
        );
      }
    }
  }
}

/** At most 1% control characters (other than tab, line ends and form feed) in a text file. */
const MAX_CONTROL_SHARE = 0.01;

function unreadableReason(input: string | Uint8Array): string | undefined {
  let suspicious = 0;
  if (typeof input === "string") {
    for (let i = 0; i < input.length; i++) {
      const code = input.charCodeAt(i);
      if (code === 0) return `it contains a NUL character at position ${i}, so it looks like a binary file`;
      if (isControl(code) || code === 0xfffd) suspicious++;
      else if (code >= 0xd800 && code <= 0xdfff) {
        const pair = code <= 0xdbff && i + 1 < input.length && (input.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
        if (pair) i++;
        else suspicious++;
      }
    }
  } else {
    for (let i = 0; i < input.length; i++) {
      const byte = input[i]!;
      if (byte === 0) return `it contains a NUL byte at position ${i}, so it looks like a binary file`;
      if (isControl(byte)) suspicious++;
    }
  }
  if (suspicious > 0 && suspicious > input.length * MAX_CONTROL_SHARE) {
    return `${suspicious} of its ${input.length} characters are control characters or undecodable, so it looks like a binary file`;
  }
  return undefined;
}

function isControl(code: number): boolean {
  return (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0c && code !== 0x0d) || code === 0x7f;
}

// ---------------------------------------------------------------------------------------------
// Planning

const SASL_PROTOCOLS = new Set(["SASL_PLAINTEXT", "SASL_SSL"]);
/** Stands in for a placeholder password while the rest of a cluster input is validated. */
const STAND_IN_PASSWORD = "placeholder";

/** How each MM2 flow setting is imported (compile-time check that none is forgotten). */
const FLOW_SETTING_HANDLING = {
  enabled: "decides whether the flow is planned",
  topics: "topicsInclude",
  topicsExclude: "topicsExclude",
  groups: "groupsInclude",
  groupsExclude: "groupsExclude",
  configPropertiesExclude: "settings",
  replicationPolicyClass: "replicationPolicy",
  replicationPolicySeparator: "separator",
  replicationPolicyInternalTopicSeparatorEnabled: "ignored unless MM2's default",
  replicationFactor: "replicationFactor",
  tasksMax: "tasksMax",
  syncTopicConfigsEnabled: "settings",
  syncTopicConfigsIntervalSeconds: "settings",
  syncTopicAclsEnabled: "settings",
  syncTopicAclsIntervalSeconds: "settings",
  syncGroupOffsetsEnabled: "settings",
  syncGroupOffsetsIntervalSeconds: "settings",
  emitCheckpointsEnabled: "settings",
  emitCheckpointsIntervalSeconds: "settings",
  emitHeartbeatsEnabled: "settings",
  emitHeartbeatsIntervalSeconds: "settings",
  refreshTopicsEnabled: "ignored when false",
  refreshTopicsIntervalSeconds: "settings",
  refreshGroupsEnabled: "ignored when false",
  refreshGroupsIntervalSeconds: "settings",
  offsetLagMax: "settings",
  offsetSyncsTopicLocation: "settings",
  emitOffsetSyncsEnabled: "settings",
  consumerAutoOffsetReset: "startPosition",
} satisfies Record<FlowSettingName, string>;
void FLOW_SETTING_HANDLING;

/** Flow input fields and the MM2 setting each comes from (to name the key when a value is refused). */
const FLOW_FIELD_SOURCES: Record<string, FlowSettingName> = {
  topicsInclude: "topics",
  topicsExclude: "topicsExclude",
  groupsInclude: "groups",
  groupsExclude: "groupsExclude",
  replicationPolicy: "replicationPolicyClass",
  separator: "replicationPolicySeparator",
  startPosition: "consumerAutoOffsetReset",
  tasksMax: "tasksMax",
  replicationFactor: "replicationFactor",
};

const CLUSTER_FIELD_SOURCES: Record<string, ClusterSettingName> = {
  bootstrapServers: "bootstrapServers",
  securityProtocol: "securityProtocol",
  sasl: "saslJaasConfig",
};

/** A property name as people write them; anything else may be a stray piece of a value. */
const KEY_LIKE = /^[A-Za-z0-9_.$-]+(?:->[A-Za-z0-9_.$-]+)?$/;
const CLIENT_PREFIXES = ["consumer.", "producer.", "admin."] as const;
const CLIENT_SECURITY_KEYS = new Set(["security.protocol", "sasl.mechanism", "sasl.jaas.config"]);

type SaslResult =
  | {
      ok: true;
      sasl: { mechanism: SaslMechanismName; username: string; password: string | undefined };
      placeholder?: string;
    }
  | { ok: false };

class ImportPlanner {
  private readonly ignored = new Map<string, string>();
  private readonly issues: ImportIssue[] = [];
  private readonly placeholders = new Set<string>();
  private readonly clusterSet: ReadonlySet<string>;

  constructor(
    private readonly properties: ReadonlyMap<string, string>,
    private readonly config: Mm2Config,
    private readonly existing: ExistingTopology,
  ) {
    this.clusterSet = new Set(config.clusters);
  }

  plan(): ImportPlan {
    for (const issue of this.config.issues) this.issues.push(sanitizeIssue(issue));
    const clusters: PlannedCluster[] = [];
    for (const clusterConfig of this.config.clusterConfigs) {
      const planned = this.planCluster(clusterConfig);
      if (planned !== undefined) clusters.push(planned);
    }
    const available = new Set([
      ...clusters.map((cluster) => cluster.alias),
      ...this.existing.clusters.map((cluster) => cluster.alias),
    ]);
    const flows: PlannedFlow[] = [];
    for (const flow of this.config.flows) {
      if (!flow.enabled) {
        this.ignoreDisabledFlowKeys(flow);
        continue;
      }
      const planned = this.planFlow(flow, available);
      if (planned !== undefined) flows.push(planned);
    }
    for (const key of this.config.unknownKeys) {
      if (!isConfigProviderKey(key)) this.ignore(key, this.unknownKeyReason(key));
    }
    return {
      clusters,
      flows,
      ignoredKeys: this.ignoredKeys(),
      issues: this.issues,
      placeholdersNeeded: [...this.placeholders],
    };
  }

  // --- clusters ------------------------------------------------------------------------------

  private planCluster(cluster: ClusterConfig): PlannedCluster | undefined {
    const { alias } = cluster;
    const keyOf = (name: ClusterSettingName): string =>
      cluster.origins[name] === "global"
        ? CLUSTER_SETTINGS[name].key
        : `${alias}.${CLUSTER_SETTINGS[name].key}`;
    const bootstrapServers = cluster.bootstrapServers ?? "";
    if (hasPlaceholder(bootstrapServers)) {
      this.issue(
        "UNRESOLVED_PLACEHOLDER",
        keyOf("bootstrapServers"),
        `Cluster ${alias} is not imported: its bootstrap servers come from a config provider (${findPlaceholders(bootstrapServers).join(", ")}); write them out in the file`,
      );
      return undefined;
    }
    // Kafka reads security.protocol case-insensitively.
    const securityProtocol = cluster.securityProtocol.toUpperCase();
    const raw: Record<string, unknown> = { alias, bootstrapServers, securityProtocol };
    let placeholder: string | undefined;
    if (SASL_PROTOCOLS.has(securityProtocol)) {
      const sasl = this.readSasl(cluster, keyOf);
      if (!sasl.ok) return undefined;
      raw.sasl = { ...sasl.sasl, password: sasl.sasl.password ?? STAND_IN_PASSWORD };
      placeholder = sasl.placeholder;
    } else {
      for (const name of ["saslMechanism", "saslJaasConfig"] as const) {
        if (cluster.origins[name] !== "default") {
          this.ignore(keyOf(name), `not used: cluster ${alias} connects with ${securityProtocol}, not SASL`);
        }
      }
    }

    const parsed = clusterCreateSchema.safeParse(raw);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) => {
        const field = String(issue.path[0] ?? "");
        const source = CLUSTER_FIELD_SOURCES[field];
        return {
          key: field === "alias" ? "clusters" : source === undefined ? undefined : keyOf(source),
          issue,
        };
      });
      this.issue(
        "INVALID_CLUSTER",
        problems[0]?.key,
        `Cluster ${alias} is not imported: ${problems.map(({ key, issue }) => `${key ?? issue.path.join(".")}: ${issue.message}`).join("; ")}`,
      );
      return undefined;
    }
    const input = parsed.data;
    if (placeholder !== undefined && input.sasl != null) {
      const { password: _standIn, ...withoutPassword } = input.sasl;
      input.sasl = withoutPassword;
    }

    const planned: PlannedCluster = { alias, action: "create", input };
    if (placeholder !== undefined) planned.passwordPlaceholder = placeholder;
    const current = this.existing.clusters.find((candidate) => candidate.alias === alias);
    if (current !== undefined) {
      const differences: string[] = [];
      if (!sameServers(current.bootstrapServers, input.bootstrapServers)) {
        differences.push(`bootstrap servers ${current.bootstrapServers} (file: ${input.bootstrapServers})`);
      }
      if (current.securityProtocol.toUpperCase() !== input.securityProtocol) {
        differences.push(`security protocol ${current.securityProtocol} (file: ${input.securityProtocol})`);
      }
      if (differences.length === 0) planned.action = "unchanged";
      else {
        planned.action = "conflict";
        planned.conflict = `Cluster ${alias} already exists with ${differences.join(" and ")}`;
      }
    }
    return planned;
  }

  /** The SASL settings of a SASL_* cluster, or an issue. Messages never quote the JAAS value. */
  private readSasl(cluster: ClusterConfig, keyOf: (name: ClusterSettingName) => string): SaslResult {
    const { alias } = cluster;
    const mechanismKey = keyOf("saslMechanism");
    const mechanism = saslMechanismSchema.safeParse(cluster.saslMechanism);
    if (!mechanism.success) {
      const byDefault =
        cluster.origins.saslMechanism === "default" ? ` (MM2's default, as ${mechanismKey} is not set)` : "";
      this.issue(
        "UNSUPPORTED_SASL_MECHANISM",
        mechanismKey,
        `Cluster ${alias} is not imported: SASL mechanism ${cluster.saslMechanism}${byDefault} is not supported; MirrorDeck supports ${saslMechanismSchema.options.join(", ")}`,
      );
      return { ok: false };
    }
    const jaasKey = keyOf("saslJaasConfig");
    const jaas = cluster.saslJaasConfig;
    if (jaas === undefined || jaas === "") {
      this.issue(
        "INVALID_JAAS_CONFIG",
        jaasKey,
        `Cluster ${alias} is not imported: ${cluster.securityProtocol} needs ${jaasKey} with a username and password`,
      );
      return { ok: false };
    }
    const parsed = parseJaasConfig(jaas);
    if (!parsed.ok) {
      if (hasPlaceholder(jaas)) {
        this.issue(
          "UNRESOLVED_PLACEHOLDER",
          jaasKey,
          `Cluster ${alias} is not imported: ${jaasKey} comes from a config provider, so its username is unknown; write the JAAS config in the file with only the password as a placeholder`,
        );
      } else {
        this.issue(
          "INVALID_JAAS_CONFIG",
          jaasKey,
          `Cluster ${alias} is not imported: ${jaasKey} cannot be read: ${parsed.reason}`,
        );
      }
      return { ok: false };
    }
    const expectedModule = LOGIN_MODULES[mechanism.data];
    if (parsed.entry.loginModule !== expectedModule) {
      this.issue(
        "INVALID_JAAS_CONFIG",
        jaasKey,
        `Cluster ${alias} is not imported: ${jaasKey} must use ${expectedModule} for SASL mechanism ${mechanism.data}`,
      );
      return { ok: false };
    }
    const username = parsed.entry.options.get("username");
    const password = parsed.entry.options.get("password");
    if (username === undefined || password === undefined) {
      this.issue(
        "INVALID_JAAS_CONFIG",
        jaasKey,
        `Cluster ${alias} is not imported: ${jaasKey} needs both username="..." and password="..."`,
      );
      return { ok: false };
    }
    if (hasPlaceholder(username)) {
      this.issue(
        "UNRESOLVED_PLACEHOLDER",
        jaasKey,
        `Cluster ${alias} is not imported: its SASL username comes from a config provider (${findPlaceholders(username).join(", ")}); write it out in the file`,
      );
      return { ok: false };
    }
    const passwordPlaceholders = findPlaceholders(password);
    if (passwordPlaceholders.length === 0) {
      return { ok: true, sasl: { mechanism: mechanism.data, username, password } };
    }
    for (const placeholder of passwordPlaceholders) this.placeholders.add(placeholder);
    return {
      ok: true,
      sasl: { mechanism: mechanism.data, username, password: undefined },
      // Only the placeholders: any literal text around them is part of the secret.
      placeholder: passwordPlaceholders.join(" "),
    };
  }

  // --- flows ---------------------------------------------------------------------------------

  private planFlow(flow: FlowConfig, available: ReadonlySet<string>): PlannedFlow | undefined {
    const name = `${flow.source}->${flow.target}`;
    const keyOf = (setting: FlowSettingName): string =>
      flow.origins[setting] === "global" ? mm2Key(setting) : `${name}.${mm2Key(setting)}`;
    const missing = [flow.source, flow.target].filter((alias) => !available.has(alias));
    if (missing.length > 0) {
      this.issue(
        "FLOW_CLUSTER_NOT_IMPORTED",
        keyOf("enabled"),
        `Flow ${name} is not imported: cluster ${missing.join(" and ")} ${missing.length === 1 ? "is" : "are"} not imported (see the issues above)`,
      );
      return undefined;
    }

    let replicationPolicy: "DEFAULT" | "IDENTITY";
    if (flow.replicationPolicyClass === DEFAULT_REPLICATION_POLICY_CLASS) replicationPolicy = "DEFAULT";
    else if (flow.replicationPolicyClass === IDENTITY_REPLICATION_POLICY_CLASS)
      replicationPolicy = "IDENTITY";
    else {
      this.issue(
        "UNSUPPORTED_POLICY",
        keyOf("replicationPolicyClass"),
        `Flow ${name} is not imported: replication.policy.class ${flow.replicationPolicyClass} is not supported; MirrorDeck runs ${DEFAULT_REPLICATION_POLICY_CLASS} and ${IDENTITY_REPLICATION_POLICY_CLASS}`,
      );
      return undefined;
    }

    const raw: Record<string, unknown> = {
      sourceAlias: flow.source,
      targetAlias: flow.target,
      name,
      enabled: true,
      replicationPolicy,
      separator: flow.replicationPolicySeparator,
      startPosition: this.startPosition(flow, keyOf),
      tasksMax: flow.tasksMax,
      replicationFactor: flow.replicationFactor,
    };
    for (const { field, mm2 } of LIST_FIELDS) {
      const value = formatConfigList(flow[mm2]);
      if (flow.origins[mm2] !== "default" && !isDefaultList(mm2, value)) raw[field] = value;
    }
    const settings: Record<string, unknown> = {};
    for (const { setting, mm2 } of SETTING_MAPPINGS) {
      if (flow.origins[mm2] === "default") continue;
      const resolved: unknown = flow[mm2];
      const value = Array.isArray(resolved) ? formatConfigList(resolved) : resolved;
      if (value !== mm2Default(mm2)) settings[setting] = value;
    }
    raw.settings = settings;

    if (!flow.refreshTopicsEnabled) {
      this.ignore(
        keyOf("refreshTopicsEnabled"),
        "MirrorDeck always looks for new topics and partitions; refresh.topics.interval.seconds sets how often",
      );
    }
    if (!flow.refreshGroupsEnabled) {
      this.ignore(
        keyOf("refreshGroupsEnabled"),
        "MirrorDeck always looks for new consumer groups; refresh.groups.interval.seconds sets how often",
      );
    }
    if (
      flow.replicationPolicyInternalTopicSeparatorEnabled !==
      FLOW_SETTINGS.replicationPolicyInternalTopicSeparatorEnabled.defaultValue
    ) {
      this.ignore(
        keyOf("replicationPolicyInternalTopicSeparatorEnabled"),
        "not supported: MirrorDeck names internal topics with replication.policy.separator (MM2's default)",
      );
    }

    const parsed = flowCreateSchema.safeParse(raw);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) => {
        const [field, setting] = issue.path.map(String);
        let key: string | undefined;
        if (field === "sourceAlias" || field === "targetAlias") key = "clusters";
        else if (field === "settings") {
          const mapping = SETTING_MAPPINGS.find((candidate) => candidate.setting === setting);
          if (mapping !== undefined) key = keyOf(mapping.mm2);
        } else if (field !== undefined && FLOW_FIELD_SOURCES[field] !== undefined) {
          key = keyOf(FLOW_FIELD_SOURCES[field]);
        }
        return { key, issue };
      });
      this.issue(
        "INVALID_FLOW",
        problems.find((problem) => problem.key !== undefined)?.key,
        `Flow ${name} is not imported: ${problems.map(({ key, issue }) => `${key ?? issue.path.join(".")}: ${issue.message}`).join("; ")}`,
      );
      return undefined;
    }

    const input = parsed.data;
    const planned: PlannedFlow = { name, action: "create", input };
    const clash = this.existing.flows.find(
      (candidate) =>
        (candidate.sourceAlias === flow.source && candidate.targetAlias === flow.target) ||
        candidate.name === name,
    );
    if (clash !== undefined) {
      planned.action = "conflict";
      planned.conflict =
        clash.sourceAlias === flow.source && clash.targetAlias === flow.target
          ? `Flow ${clash.name} already replicates ${flow.source} to ${flow.target}`
          : `A flow named ${name} already exists (${clash.sourceAlias} to ${clash.targetAlias})`;
    }
    return planned;
  }

  private startPosition(
    flow: FlowConfig,
    keyOf: (setting: FlowSettingName) => string,
  ): "EARLIEST" | "LATEST" {
    const reset = flow.consumerAutoOffsetReset;
    if (reset === "latest") return "LATEST";
    if (reset !== "earliest") {
      this.ignore(
        keyOf("consumerAutoOffsetReset"),
        `${reset} is not supported: MirrorDeck starts new partitions at the earliest or latest offset; earliest (MM2's default) is used`,
      );
    }
    return "EARLIEST";
  }

  private ignoreDisabledFlowKeys(flow: FlowConfig): void {
    const name = `${flow.source}->${flow.target}`;
    for (const setting of Object.keys(FLOW_SETTINGS) as FlowSettingName[]) {
      if (setting !== "enabled" && flow.origins[setting] === "flow") {
        this.ignore(`${name}.${mm2Key(setting)}`, `flow ${name} is not enabled, so it is not imported`);
      }
    }
  }

  // --- keys nobody reads ---------------------------------------------------------------------

  private unknownKeyReason(key: string): string {
    let rest = key;
    let owner: string | undefined;
    for (let dot = key.indexOf("."); dot >= 0; dot = key.indexOf(".", dot + 1)) {
      const prefix = key.slice(0, dot);
      const arrow = prefix.indexOf("->");
      const isFlow =
        arrow >= 0 &&
        this.clusterSet.has(prefix.slice(0, arrow)) &&
        this.clusterSet.has(prefix.slice(arrow + 2));
      if (this.clusterSet.has(prefix) || isFlow) {
        owner = prefix;
        rest = key.slice(dot + 1);
        break;
      }
    }
    const client = CLIENT_PREFIXES.find((prefix) => rest.startsWith(prefix));
    const setting = client === undefined ? rest : rest.slice(client.length);
    if (setting.startsWith("ssl.truststore.")) {
      return "MirrorDeck does not read truststore files; upload the CA certificate instead";
    }
    if (setting.startsWith("ssl.keystore.") || setting === "ssl.key.password") {
      return "MirrorDeck does not read keystore files; upload the client certificate and key instead";
    }
    if (client !== undefined && (CLIENT_SECURITY_KEYS.has(setting) || setting.startsWith("sasl."))) {
      const where = owner === undefined || owner.includes("->") ? "" : `${owner}.`;
      return `MirrorDeck uses one security setting for all clients of a cluster (${where}${setting}); ${client.slice(0, -1)}-only settings are not imported`;
    }
    return "not understood by MirrorDeck";
  }

  // --- bookkeeping ---------------------------------------------------------------------------

  private ignore(key: string, reason: string): void {
    if (!this.ignored.has(key)) this.ignored.set(key, reason);
  }

  private issue(code: ImportIssueCode, key: string | undefined, message: string): void {
    this.issues.push(key === undefined ? { code, message } : { code, key, message });
  }

  /** In file order; keys that do not look like property names are not shown (they may be stray secrets). */
  private ignoredKeys(): IgnoredKey[] {
    const order = new Map([...this.properties.keys()].map((key, index) => [key, index]));
    const entries = [...this.ignored].sort(
      ([a], [b]) => (order.get(a) ?? Number.MAX_SAFE_INTEGER) - (order.get(b) ?? Number.MAX_SAFE_INTEGER),
    );
    let hidden = 0;
    return entries.map(([key, reason]) =>
      KEY_LIKE.test(key)
        ? { key, reason }
        : {
            key: `(unreadable line ${++hidden})`,
            reason:
              "this line is not a key = value property (a value continued without a trailing backslash?); it is not shown as it may hold a secret",
          },
    );
  }
}

/** Drops anything from an MM2 issue that could quote a secret. */
function sanitizeIssue(issue: { code: Mm2ConfigIssueCode; key?: string; message: string }): ImportIssue {
  if (issue.key === undefined) return { code: issue.code, message: issue.message };
  if (!KEY_LIKE.test(issue.key)) {
    return { code: issue.code, message: `${issue.code}: a line that is not a property name (not shown)` };
  }
  if (isSensitiveKey(issue.key)) {
    return {
      code: issue.code,
      key: issue.key,
      message: `${issue.key} has a problem (${issue.code}); its value is not shown`,
    };
  }
  return { code: issue.code, key: issue.key, message: issue.message };
}

/** Same host:port set, whatever the order, spacing or host case. */
function sameServers(a: string, b: string): boolean {
  const normalize = (value: string) =>
    [
      ...new Set(
        value
          .split(",")
          .map((entry) => entry.trim().toLowerCase())
          .filter(Boolean),
      ),
    ]
      .sort()
      .join(",");
  return normalize(a) === normalize(b);
}
