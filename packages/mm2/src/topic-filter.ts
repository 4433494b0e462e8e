import { TOPICS_DEFAULT, TOPICS_EXCLUDE_DEFAULT } from "./defaults.ts";
import { PatternList } from "./pattern-list.ts";

/** Selects topics to replicate (MM2's `TopicFilter`). */
export interface TopicFilter {
  shouldReplicateTopic(topic: string): boolean;
}

export interface TopicFilterSettings {
  /** `topics`: config value or entries; default ".*". */
  topics?: string | readonly string[];
  /** `topics.exclude`: config value or entries; default MM2's exclude list. */
  topicsExclude?: string | readonly string[];
}

/** Include and exclude regex lists, full-match, exclude wins (MM2's `DefaultTopicFilter`). */
export class DefaultTopicFilter implements TopicFilter {
  readonly include: PatternList;
  readonly exclude: PatternList;

  /** @throws InvalidPatternError when a pattern cannot be compiled. */
  constructor(settings: TopicFilterSettings = {}) {
    this.include = PatternList.compile(settings.topics ?? TOPICS_DEFAULT);
    this.exclude = PatternList.compile(settings.topicsExclude ?? TOPICS_EXCLUDE_DEFAULT);
  }

  shouldReplicateTopic(topic: string): boolean {
    return this.include.matches(topic) && !this.exclude.matches(topic);
  }
}
