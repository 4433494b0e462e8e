import { CONFIG_PROPERTIES_EXCLUDE_DEFAULT } from "./defaults.ts";
import { PatternList } from "./pattern-list.ts";

/** Selects topic config properties copied to remote topics (MM2's `ConfigPropertyFilter`). */
export interface ConfigPropertyFilter {
  shouldReplicateConfigProperty(property: string): boolean;
}

export interface ConfigPropertyFilterSettings {
  /** `config.properties.exclude`: config value or entries; default MM2's exclude list. */
  configPropertiesExclude?: string | readonly string[];
}

/** Copies every property except the excluded ones (MM2's `DefaultConfigPropertyFilter`). */
export class DefaultConfigPropertyFilter implements ConfigPropertyFilter {
  readonly exclude: PatternList;

  /** @throws InvalidPatternError when a pattern cannot be compiled. */
  constructor(settings: ConfigPropertyFilterSettings = {}) {
    this.exclude = PatternList.compile(settings.configPropertiesExclude ?? CONFIG_PROPERTIES_EXCLUDE_DEFAULT);
  }

  shouldReplicateConfigProperty(property: string): boolean {
    return !this.exclude.matches(property);
  }
}
