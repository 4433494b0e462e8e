// The flow form's state as typed, and what it becomes: a create body, an update body (only what
// changed), a preview request and a FlowDefinition for the mm2.properties review. Pure functions.
import {
  type FlowCreate,
  type FlowDefinition,
  type FlowDetail,
  type FlowSettings,
  type FlowUpdate,
  flowSettingsSchema,
  kafkaPrincipalSchema,
} from "@mirrordeck/contracts";
import {
  CONFIG_PROPERTIES_EXCLUDE_DEFAULT,
  GROUPS_DEFAULT,
  GROUPS_EXCLUDE_DEFAULT,
  REPLICATION_FACTOR_DEFAULT,
  REPLICATION_POLICY_SEPARATOR_DEFAULT,
  TASKS_MAX_DEFAULT,
  TOPICS_DEFAULT,
  TOPICS_EXCLUDE_DEFAULT,
} from "@mirrordeck/mm2";

export type SettingKey = keyof FlowSettings;
/** Toggles hold a boolean (absent: MM2's default); every other setting holds its text ("" = default). */
export type SettingDraft = Partial<Record<SettingKey, string | boolean>>;

export interface FlowDraft {
  name: string;
  sourceAlias: string;
  targetAlias: string;
  topicsInclude: string;
  topicsExclude: string;
  groupsInclude: string;
  groupsExclude: string;
  replicationPolicy: "DEFAULT" | "IDENTITY";
  separator: string;
  startPosition: "EARLIEST" | "LATEST";
  tasksMax: string;
  replicationFactor: string;
  settings: SettingDraft;
}

export type FieldErrors = Partial<Record<string, string>>;

export interface SettingField {
  key: SettingKey;
  label: string;
  /** MM2's property; null for MirrorDeck's own settings, which an mm2.properties file does not carry. */
  mm2: string | null;
  /** `principals`: source=target principal pairs, comma-separated (`User:alice=User:alice-dr`). */
  kind: "toggle" | "int" | "location" | "list" | "principals";
  unit?: string;
  /** An interval that only matters while this toggle is on. */
  dependsOn?: SettingKey;
  hint?: string;
}

export const SETTING_SECTIONS: { title: string; fields: SettingField[] }[] = [
  {
    title: "Checkpoints and consumer groups",
    fields: [
      {
        key: "emitCheckpointsEnabled",
        label: "Emit checkpoints",
        mm2: "emit.checkpoints.enabled",
        kind: "toggle",
      },
      {
        key: "emitCheckpointsIntervalSeconds",
        label: "Checkpoint interval",
        mm2: "emit.checkpoints.interval.seconds",
        kind: "int",
        unit: "s",
        dependsOn: "emitCheckpointsEnabled",
      },
      {
        key: "syncGroupOffsetsEnabled",
        label: "Sync group offsets to the target",
        mm2: "sync.group.offsets.enabled",
        kind: "toggle",
        hint: "Commits translated offsets for groups that are not active on the target.",
      },
      {
        key: "syncGroupOffsetsIntervalSeconds",
        label: "Group offset sync interval",
        mm2: "sync.group.offsets.interval.seconds",
        kind: "int",
        unit: "s",
        dependsOn: "syncGroupOffsetsEnabled",
      },
      {
        key: "refreshGroupsIntervalSeconds",
        label: "Look for new groups every",
        mm2: "refresh.groups.interval.seconds",
        kind: "int",
        unit: "s",
      },
    ],
  },
  {
    title: "Heartbeats",
    fields: [
      {
        key: "emitHeartbeatsEnabled",
        label: "Emit heartbeats",
        mm2: "emit.heartbeats.enabled",
        kind: "toggle",
      },
      {
        key: "emitHeartbeatsIntervalSeconds",
        label: "Heartbeat interval",
        mm2: "emit.heartbeats.interval.seconds",
        kind: "int",
        unit: "s",
        dependsOn: "emitHeartbeatsEnabled",
      },
    ],
  },
  {
    title: "Topics",
    fields: [
      {
        key: "syncTopicConfigs",
        label: "Sync topic configs",
        mm2: "sync.topic.configs.enabled",
        kind: "toggle",
      },
      {
        key: "syncTopicConfigsIntervalSeconds",
        label: "Topic config sync interval",
        mm2: "sync.topic.configs.interval.seconds",
        kind: "int",
        unit: "s",
        dependsOn: "syncTopicConfigs",
      },
      {
        key: "refreshTopicsIntervalSeconds",
        label: "Look for new topics every",
        mm2: "refresh.topics.interval.seconds",
        kind: "int",
        unit: "s",
      },
      {
        key: "configPropertiesExclude",
        label: "Topic configs not synced",
        mm2: "config.properties.exclude",
        kind: "list",
        dependsOn: "syncTopicConfigs",
        hint: "Comma-separated regexes of topic config names.",
      },
    ],
  },
  {
    title: "Delivery",
    fields: [
      {
        key: "exactlyOnce",
        label: "Exactly-once (transactions on the target)",
        mm2: null,
        kind: "toggle",
        hint: "Records, positions and offset syncs commit together; offset syncs then live on the target. Costs throughput (see the benchmark).",
      },
    ],
  },
  {
    title: "Topic ACLs",
    fields: [
      {
        key: "syncTopicAcls",
        label: "Sync topic ACLs",
        mm2: "sync.topic.acls.enabled",
        kind: "toggle",
        hint: "LITERAL topic ACLs only; ALLOW ALL becomes READ; ALLOW WRITE is never copied.",
      },
      {
        key: "syncTopicAclsIntervalSeconds",
        label: "Topic ACL sync interval",
        mm2: "sync.topic.acls.interval.seconds",
        kind: "int",
        unit: "s",
        dependsOn: "syncTopicAcls",
      },
      {
        key: "aclPrincipalMap",
        label: "Principals renamed on the target",
        mm2: null,
        kind: "principals",
        dependsOn: "syncTopicAcls",
        hint: "Pairs separated by ';', each source -> target, e.g. User:alice -> User:alice-dr.",
      },
    ],
  },
  {
    title: "Offset syncs",
    fields: [
      {
        key: "emitOffsetSyncs",
        label: "Emit offset syncs",
        mm2: "emit.offset-syncs.enabled",
        kind: "toggle",
      },
      {
        key: "offsetLagMax",
        label: "Max offset lag before a sync",
        mm2: "offset.lag.max",
        kind: "int",
        unit: "records",
        dependsOn: "emitOffsetSyncs",
      },
      {
        key: "offsetSyncsTopicLocation",
        label: "Offset-syncs topic on",
        mm2: "offset-syncs.topic.location",
        kind: "location",
        dependsOn: "emitOffsetSyncs",
      },
      {
        key: "offsetSyncFlushIntervalSeconds",
        label: "Flush offset syncs every",
        mm2: null,
        kind: "int",
        unit: "s",
        dependsOn: "emitOffsetSyncs",
      },
      {
        key: "commitIntervalMs",
        label: "Commit positions every",
        mm2: null,
        kind: "int",
        unit: "ms",
        hint: "Bounds the records written twice after a crash.",
      },
    ],
  },
];

export const SETTING_FIELDS: SettingField[] = SETTING_SECTIONS.flatMap((s) => s.fields);

/** MM2's defaults (and MirrorDeck's for its own settings), as the schema states them. */
export const SETTING_DEFAULTS: FlowSettings = flowSettingsSchema.parse({});

export function settingDefault(key: SettingKey): string | boolean {
  if (key === "configPropertiesExclude") return CONFIG_PROPERTIES_EXCLUDE_DEFAULT;
  if (key === "aclPrincipalMap") return "";
  const value = SETTING_DEFAULTS[key];
  return typeof value === "boolean" ? value : String(value);
}

export const FIELD_DEFAULTS = {
  topicsInclude: TOPICS_DEFAULT,
  topicsExclude: TOPICS_EXCLUDE_DEFAULT,
  groupsInclude: GROUPS_DEFAULT,
  groupsExclude: GROUPS_EXCLUDE_DEFAULT,
  separator: REPLICATION_POLICY_SEPARATOR_DEFAULT,
  tasksMax: TASKS_MAX_DEFAULT,
  replicationFactor: REPLICATION_FACTOR_DEFAULT,
} as const;

/** A new flow: MM2's defaults everywhere, no clusters chosen. */
export function newDraft(): FlowDraft {
  return {
    name: "",
    sourceAlias: "",
    targetAlias: "",
    topicsInclude: TOPICS_DEFAULT,
    topicsExclude: TOPICS_EXCLUDE_DEFAULT,
    groupsInclude: GROUPS_DEFAULT,
    groupsExclude: GROUPS_EXCLUDE_DEFAULT,
    replicationPolicy: "DEFAULT",
    separator: REPLICATION_POLICY_SEPARATOR_DEFAULT,
    startPosition: "EARLIEST",
    tasksMax: String(TASKS_MAX_DEFAULT),
    replicationFactor: String(REPLICATION_FACTOR_DEFAULT),
    settings: {},
  };
}

function settingsDraft(settings: Record<string, unknown>): SettingDraft {
  const draft: SettingDraft = {};
  for (const field of SETTING_FIELDS) {
    const value = settings[field.key];
    if (value === undefined || value === null) continue;
    draft[field.key] =
      typeof value === "boolean"
        ? value
        : typeof value === "object"
          ? formatPrincipalMap(value as Record<string, string>)
          : String(value);
  }
  return draft;
}

/** The selection rules: which topics and groups to copy, and how remote topics are named. */
function selectionOf(
  from: Pick<
    FlowDraft,
    "topicsInclude" | "topicsExclude" | "groupsInclude" | "groupsExclude" | "replicationPolicy" | "separator"
  >,
) {
  return {
    topicsInclude: from.topicsInclude,
    topicsExclude: from.topicsExclude,
    groupsInclude: from.groupsInclude,
    groupsExclude: from.groupsExclude,
    replicationPolicy: from.replicationPolicy,
    separator: from.separator,
  };
}

/** A stored flow as the form edits it. */
export function draftFromFlow(flow: FlowDetail): FlowDraft {
  return {
    name: flow.name,
    sourceAlias: flow.sourceAlias,
    targetAlias: flow.targetAlias,
    ...selectionOf(flow),
    startPosition: flow.startPosition,
    tasksMax: String(flow.tasksMax),
    replicationFactor: String(flow.replicationFactor),
    settings: settingsDraft(flow.settings),
  };
}

const WHOLE_NUMBER = /^\d+$/;

// TLS principals hold ',' and '=' (User:CN=a,O=b): pairs are split on ';', sides on '->'.
export function formatPrincipalMap(map: Record<string, string>): string {
  return Object.entries(map)
    .map(([from, to]) => `${from} -> ${to}`)
    .join("; ");
}

/** "User:a -> User:b; User:c -> User:d" → a map; each side must be a Kafka principal (Type:name). */
function parsePrincipalMap(
  text: string,
  errors: FieldErrors,
  field: string,
): Record<string, string> | undefined {
  const map: Record<string, string> = {};
  for (const pair of text
    .split(";")
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [from, to, extra] = pair.split("->").map((side) => side.trim());
    const bad = [from, to].find(
      (side) => side === undefined || !kafkaPrincipalSchema.safeParse(side).success,
    );
    if (extra !== undefined || to === undefined || bad !== undefined) {
      errors[field] =
        `"${pair}": write each pair as User:alice -> User:alice-dr (Kafka principals, Type:name), pairs separated by ';'`;
      return undefined;
    }
    map[from as string] = to;
  }
  return Object.keys(map).length === 0 ? undefined : map;
}

function parseWhole(text: string, errors: FieldErrors, field: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === "") return undefined;
  if (!WHOLE_NUMBER.test(trimmed)) {
    errors[field] = "enter a whole number";
    return undefined;
  }
  return Number(trimmed);
}

/** The settings the draft sets explicitly (absent ones take MM2's defaults), and typing errors. */
export function parseSettings(draft: SettingDraft): { settings: Partial<FlowSettings>; errors: FieldErrors } {
  const settings: Record<string, unknown> = {};
  const errors: FieldErrors = {};
  for (const field of SETTING_FIELDS) {
    const value = draft[field.key];
    if (value === undefined) continue;
    if (typeof value === "boolean") settings[field.key] = value;
    else if (field.kind === "int") {
      const n = parseWhole(value, errors, `settings.${field.key}`);
      if (n !== undefined) settings[field.key] = n;
    } else if (field.kind === "principals") {
      const map = parsePrincipalMap(value, errors, `settings.${field.key}`);
      if (map !== undefined) settings[field.key] = map;
    } else if (value.trim() !== "") settings[field.key] = value.trim();
  }
  return { settings: settings as Partial<FlowSettings>, errors };
}

function effective(key: SettingKey, value: unknown): unknown {
  if (key === "aclPrincipalMap") {
    // Compared by content: the same pairs in another order are no change.
    return JSON.stringify(Object.entries((value ?? {}) as Record<string, string>).sort());
  }
  return (
    value ??
    SETTING_DEFAULTS[key] ??
    (key === "configPropertiesExclude" ? CONFIG_PROPERTIES_EXCLUDE_DEFAULT : undefined)
  );
}

/** Keys whose effective value (explicit or MM2's default) differs between two settings objects. */
export function changedSettingKeys(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): SettingKey[] {
  return SETTING_FIELDS.map((f) => f.key).filter(
    (key) => effective(key, before[key]) !== effective(key, after[key]),
  );
}

interface ParsedDraft {
  tasksMax: number | undefined;
  replicationFactor: number | undefined;
  settings: Partial<FlowSettings>;
  errors: FieldErrors;
}

export function parseDraft(draft: FlowDraft): ParsedDraft {
  const errors: FieldErrors = {};
  const tasksMax = parseWhole(draft.tasksMax, errors, "tasksMax");
  const replicationFactor = parseWhole(draft.replicationFactor, errors, "replicationFactor");
  if (draft.tasksMax.trim() === "") errors.tasksMax = "enter the number of tasks";
  if (draft.replicationFactor.trim() === "") errors.replicationFactor = "enter a replication factor";
  if (draft.sourceAlias !== "" && draft.sourceAlias === draft.targetAlias) {
    errors.targetAlias = "the target must be another cluster than the source";
  }
  const parsedSettings = parseSettings(draft.settings);
  return {
    tasksMax,
    replicationFactor,
    settings: parsedSettings.settings,
    errors: { ...errors, ...parsedSettings.errors },
  };
}

/** POST /flows: every flow field as typed; settings only where the user moved off MM2's default. */
export function createBody(draft: FlowDraft, parsed: ParsedDraft): Partial<FlowCreate> {
  const settings: Record<string, unknown> = {};
  for (const key of changedSettingKeys({}, parsed.settings)) settings[key] = parsed.settings[key];
  return {
    sourceAlias: draft.sourceAlias,
    targetAlias: draft.targetAlias,
    ...(draft.name.trim() !== "" && { name: draft.name.trim() }),
    ...selectionOf(draft),
    startPosition: draft.startPosition,
    ...(parsed.tasksMax !== undefined && { tasksMax: parsed.tasksMax }),
    ...(parsed.replicationFactor !== undefined && { replicationFactor: parsed.replicationFactor }),
    settings: settings as Partial<FlowSettings>,
  };
}

const EDITABLE = [
  "name",
  "topicsInclude",
  "topicsExclude",
  "groupsInclude",
  "groupsExclude",
  "replicationPolicy",
  "separator",
  "startPosition",
] as const;

/**
 * PATCH /flows/{id}: only the fields that differ from the stored flow, plus `version`. Settings
 * are stored as one object, so when any setting changed the whole explicit set is sent.
 */
export function updateBody(flow: FlowDetail, draft: FlowDraft, parsed: ParsedDraft): Partial<FlowUpdate> {
  const body: Record<string, unknown> = {};
  for (const key of EDITABLE) {
    const value = key === "name" ? draft.name.trim() : draft[key];
    if (value !== flow[key]) body[key] = value;
  }
  if (parsed.tasksMax !== undefined && parsed.tasksMax !== flow.tasksMax) body.tasksMax = parsed.tasksMax;
  if (parsed.replicationFactor !== undefined && parsed.replicationFactor !== flow.replicationFactor) {
    body.replicationFactor = parsed.replicationFactor;
  }
  if (changedSettingKeys(flow.settings, parsed.settings).length > 0) body.settings = parsed.settings;
  return body as Partial<FlowUpdate>;
}

/** What the preview endpoint needs: the selection rules only. */
export function previewInput(draft: FlowDraft): Partial<FlowCreate> {
  return {
    sourceAlias: draft.sourceAlias,
    targetAlias: draft.targetAlias,
    ...selectionOf(draft),
  };
}

/** The flow as the mm2.properties review writes it (enabled, as it will be once started). */
export function definitionFromDraft(draft: FlowDraft, parsed: ParsedDraft): FlowDefinition {
  return {
    name: draft.name.trim() || `${draft.sourceAlias}->${draft.targetAlias}`,
    sourceAlias: draft.sourceAlias,
    targetAlias: draft.targetAlias,
    enabled: true,
    ...selectionOf(draft),
    startPosition: draft.startPosition,
    tasksMax: parsed.tasksMax ?? TASKS_MAX_DEFAULT,
    replicationFactor: parsed.replicationFactor ?? REPLICATION_FACTOR_DEFAULT,
    settings: parsed.settings,
  };
}
