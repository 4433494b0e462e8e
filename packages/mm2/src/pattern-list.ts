import { RE2JS, RE2JSException, RE2JSSyntaxException } from "re2js";
import { parseConfigList } from "./config-list.ts";
import { translateJavaRegex, UnsupportedJavaRegex } from "./java-regex.ts";
import { InvalidPatternError } from "./mm2-error.ts";

/**
 * A list of regexes joined into one alternation and matched against whole names, as MM2's
 * `MirrorUtils.compilePatternList` + `Matcher.matches()` do. An empty list matches nothing
 * (MM2: "a blank config property should match nothing").
 *
 * Compiled with RE2 (re2js), so matching is linear-time whatever the pattern; Java syntax is
 * translated or rejected by {@link translateJavaRegex} so that a pattern never silently
 * changes meaning.
 */
export class PatternList {
  /** The list entries, as split from the config value. */
  readonly entries: readonly string[];
  private readonly regex: RE2JS | undefined;

  private constructor(entries: readonly string[], regex: RE2JS | undefined) {
    this.entries = entries;
    this.regex = regex;
  }

  /** @param value a config value ("a, b.*") or already-split entries. */
  static compile(value: string | readonly string[]): PatternList {
    const entries = typeof value === "string" ? parseConfigList(value) : [...value];
    if (entries.length === 0) return new PatternList(entries, undefined);
    // Java joins with "|" before compiling, so entries are not isolated from each other
    // ("(a,b)" is valid); errors are attributed to a single entry when one is at fault.
    const joined = entries.join("|");
    return new PatternList(entries, compileJoined(joined, entries));
  }

  /** True when the whole of `name` matches one of the entries. */
  matches(name: string): boolean {
    return this.regex?.testExact(name) === true;
  }
}

function compileJoined(joined: string, entries: readonly string[]): RE2JS {
  const compiled = compileJava(joined);
  if (typeof compiled !== "string") return compiled;
  // Attribute the error to the first entry that fails on its own, else to the whole list.
  for (const entry of entries) {
    const reason = compileJava(entry);
    if (typeof reason === "string") throw new InvalidPatternError(entry, reason);
  }
  throw new InvalidPatternError(joined, compiled);
}

/** The compiled pattern, or why it cannot be compiled. */
function compileJava(pattern: string): RE2JS | string {
  try {
    return RE2JS.compile(translateJavaRegex(pattern));
  } catch (error) {
    if (error instanceof UnsupportedJavaRegex) return error.reason;
    if (error instanceof RE2JSException) return describe(error);
    throw error;
  }
}

function describe(error: RE2JSException): string {
  if (error instanceof RE2JSSyntaxException) {
    const reason = error.error;
    if (reason.includes("Perl syntax")) {
      return `${reason} (lookahead, lookbehind, atomic groups and inline flags other than i, s and m are not supported by the linear-time regex engine)`;
    }
    if (reason.includes("escape sequence")) {
      return `${reason} (backreferences and Java-only escapes are not supported by the linear-time regex engine)`;
    }
    if (reason.includes("nested repetition")) {
      return `${reason} (possessive quantifiers such as a++ are not supported by the linear-time regex engine)`;
    }
    if (reason.includes("character class range")) {
      return `${reason} (Java-only classes such as \\p{Alpha} are not supported by the linear-time regex engine)`;
    }
    return reason;
  }
  return error.message;
}
