/*
 * How Kafka's ConfigDef reads values: STRING/LIST values are trimmed with Java's
 * `String.trim()` (every char <= U+0020), and a LIST is split on `\s*,\s*` keeping empty
 * elements ("a,,b" has three), except that a blank value is the empty list.
 */

// Java's \s: [ \t\n\x0B\f\r]
const COMMA_WITH_WHITESPACE = /[ \t\n\v\f\r]*,[ \t\n\v\f\r]*/;

/** Java `String.trim()`: strips leading and trailing chars <= U+0020 (not Unicode spaces). */
export function javaTrim(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && value.charCodeAt(start) <= 0x20) start++;
  while (end > start && value.charCodeAt(end - 1) <= 0x20) end--;
  return value.slice(start, end);
}

/** Parses a `Type.LIST` config value, e.g. "a, b ,c" → ["a", "b", "c"]; "" → []. */
export function parseConfigList(value: string): string[] {
  const trimmed = javaTrim(value);
  return trimmed.length === 0 ? [] : trimmed.split(COMMA_WITH_WHITESPACE);
}

/** Formats a list back as a config value ("a, b"); inverse of {@link parseConfigList} for entries without commas. */
export function formatConfigList(entries: readonly string[]): string {
  return entries.join(", ");
}
