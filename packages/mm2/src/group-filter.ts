import { GROUPS_DEFAULT, GROUPS_EXCLUDE_DEFAULT } from "./defaults.ts";
import { PatternList } from "./pattern-list.ts";

/** Selects consumer groups to checkpoint (MM2's `GroupFilter`). */
export interface GroupFilter {
  shouldReplicateGroup(group: string): boolean;
}

export interface GroupFilterSettings {
  /** `groups`: config value or entries; default ".*". */
  groups?: string | readonly string[];
  /** `groups.exclude`: config value or entries; default MM2's exclude list. */
  groupsExclude?: string | readonly string[];
}

/** Include and exclude regex lists, full-match, exclude wins (MM2's `DefaultGroupFilter`). */
export class DefaultGroupFilter implements GroupFilter {
  readonly include: PatternList;
  readonly exclude: PatternList;

  /** @throws InvalidPatternError when a pattern cannot be compiled. */
  constructor(settings: GroupFilterSettings = {}) {
    this.include = PatternList.compile(settings.groups ?? GROUPS_DEFAULT);
    this.exclude = PatternList.compile(settings.groupsExclude ?? GROUPS_EXCLUDE_DEFAULT);
  }

  shouldReplicateGroup(group: string): boolean {
    return this.include.matches(group) && !this.exclude.matches(group);
  }
}
