import { RE2JS, RE2JSException, RE2JSSyntaxException } from "re2js";
import { parseConfigList } from "./config-list.ts";
import { InvalidPatternError } from "./mm2-error.ts";

/**
 * A list of regexes joined into one alternation and matched against whole names, as MM2's
 * `MirrorUtils.compilePatternList` + `Matcher.matches()` do. An empty list matches nothing
 * (MM2: "a blank config property should match nothing").
 *
 * Compiled with RE2 (re2js), so matching is linear-time whatever the pattern. Java syntax RE2
 * lacks (lookaround, backreferences, possessive quantifiers, `\p{Alpha}`-style classes) is
 * rejected, and so are the few constructs RE2 accepts but reads differently from Java
 * (nested classes / `&&` intersection, `\v`), so a pattern never silently changes meaning.
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
  const incompatibility = javaIncompatibility(joined);
  if (incompatibility !== undefined) {
    const culprit = entries.find((entry) => javaIncompatibility(entry) !== undefined) ?? joined;
    throw new InvalidPatternError(culprit, incompatibility);
  }
  try {
    return RE2JS.compile(joined);
  } catch (error) {
    if (!(error instanceof RE2JSException)) throw error;
    for (const entry of entries) {
      const reason = syntaxError(entry);
      if (reason !== undefined) throw new InvalidPatternError(entry, reason);
    }
    throw new InvalidPatternError(joined, describe(error));
  }
}

function syntaxError(pattern: string): string | undefined {
  try {
    RE2JS.compile(pattern);
    return undefined;
  } catch (error) {
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

/** Constructs RE2 accepts with a different meaning than Java's `Pattern`. */
function javaIncompatibility(pattern: string): string | undefined {
  let inClass = false;
  let classBodyStart = -1;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "\\") {
      const next = pattern[i + 1];
      if (next === "Q") {
        const end = pattern.indexOf("\\E", i + 2);
        if (end < 0) return undefined;
        i = end + 1;
        continue;
      }
      if (next === "v") return "\\v means any vertical whitespace in Java but only a vertical tab here";
      i++;
      continue;
    }
    if (inClass) {
      if (c === "[") return "nested character classes (Java class union, or [[:alpha:]]) are not supported";
      if (c === "&" && pattern[i + 1] === "&") return "character class intersection (&&) is not supported";
      if (c === "]" && i > classBodyStart) inClass = false;
    } else if (c === "[") {
      inClass = true;
      classBodyStart = pattern[i + 1] === "^" ? i + 2 : i + 1;
    }
  }
  return undefined;
}
