import type { FlowSettings } from "@mirrordeck/contracts";
import { FLOW_SETTINGS, type FlowSettingName, formatConfigList, parseConfigList } from "@mirrordeck/mm2";

/*
 * Which MM2 flow setting each MirrorDeck flow `settings` key stands for. Names mirror MM2's
 * keys; the two without an MM2 key are MirrorDeck's own and are neither read nor written.
 */

export interface SettingMapping {
  setting: keyof FlowSettings;
  mm2: FlowSettingName;
  /** MM2 reads a list; MirrorDeck stores it as a comma-separated string. */
  list?: true;
}

export const SETTING_MAPPINGS = [
  { setting: "syncTopicConfigs", mm2: "syncTopicConfigsEnabled" },
  { setting: "syncTopicConfigsIntervalSeconds", mm2: "syncTopicConfigsIntervalSeconds" },
  { setting: "syncTopicAcls", mm2: "syncTopicAclsEnabled" },
  { setting: "syncTopicAclsIntervalSeconds", mm2: "syncTopicAclsIntervalSeconds" },
  { setting: "refreshTopicsIntervalSeconds", mm2: "refreshTopicsIntervalSeconds" },
  { setting: "configPropertiesExclude", mm2: "configPropertiesExclude", list: true },
  { setting: "offsetLagMax", mm2: "offsetLagMax" },
  { setting: "emitOffsetSyncs", mm2: "emitOffsetSyncsEnabled" },
  { setting: "offsetSyncsTopicLocation", mm2: "offsetSyncsTopicLocation" },
  { setting: "emitCheckpointsEnabled", mm2: "emitCheckpointsEnabled" },
  { setting: "emitCheckpointsIntervalSeconds", mm2: "emitCheckpointsIntervalSeconds" },
  { setting: "refreshGroupsIntervalSeconds", mm2: "refreshGroupsIntervalSeconds" },
  { setting: "syncGroupOffsetsEnabled", mm2: "syncGroupOffsetsEnabled" },
  { setting: "syncGroupOffsetsIntervalSeconds", mm2: "syncGroupOffsetsIntervalSeconds" },
  { setting: "emitHeartbeatsEnabled", mm2: "emitHeartbeatsEnabled" },
  { setting: "emitHeartbeatsIntervalSeconds", mm2: "emitHeartbeatsIntervalSeconds" },
] as const satisfies readonly SettingMapping[];

/** Settings MirrorDeck has and MM2 does not: not part of an mm2.properties file. */
export const SETTINGS_WITHOUT_MM2_KEY = [
  "commitIntervalMs",
  "offsetSyncFlushIntervalSeconds",
  "aclPrincipalMap",
  // MM2 sets exactly-once per worker (exactly.once.source.support), not per flow.
  "exactlyOnce",
] as const;

// Compile-time check: a new flow setting must be mapped above or listed as MirrorDeck-only.
type Unmapped = Exclude<
  keyof FlowSettings,
  (typeof SETTING_MAPPINGS)[number]["setting"] | (typeof SETTINGS_WITHOUT_MM2_KEY)[number]
>;
const everySettingMapped: [Unmapped] extends [never] ? true : Unmapped = true;
void everySettingMapped;

/** Flow fields that are MM2 pattern lists, with the MM2 setting each stands for. */
export const LIST_FIELDS = [
  { field: "topicsInclude", mm2: "topics" },
  { field: "topicsExclude", mm2: "topicsExclude" },
  { field: "groupsInclude", mm2: "groups" },
  { field: "groupsExclude", mm2: "groupsExclude" },
] as const satisfies readonly { field: string; mm2: FlowSettingName }[];

/** MM2's key of a flow setting, e.g. "emit.checkpoints.interval.seconds". */
export function mm2Key(name: FlowSettingName): string {
  return FLOW_SETTINGS[name].key;
}

/** MM2's default of a flow setting, lists formatted as MirrorDeck stores them. */
export function mm2Default(name: FlowSettingName): unknown {
  const value: unknown = FLOW_SETTINGS[name].defaultValue;
  return Array.isArray(value) ? formatConfigList(value) : value;
}

/** A list as MM2 reads it, written canonically ("a, b"). */
export function canonicalList(value: string): string {
  return formatConfigList(parseConfigList(value));
}

/** True when a list value reads the same as MM2's default for `name`. */
export function isDefaultList(name: FlowSettingName, value: string): boolean {
  return canonicalList(value) === mm2Default(name);
}
