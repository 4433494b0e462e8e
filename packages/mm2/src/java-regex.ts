/*
 * Java `java.util.regex.Pattern` syntax on top of RE2 (linear time). RE2 lacks some Java
 * syntax (lookaround, backreferences, possessive quantifiers, \p{Alpha}-style classes): it
 * rejects those itself. This file handles the rest, so a pattern never silently means
 * something else than in MM2:
 *  - rewrites what RE2 reads differently: `.` (Java excludes \r, U+0085, U+2028 and U+2029
 *    too) and `\s` / `\S` (Java's include \x0B), and Java-only `\uXXXX` and `\e` escapes;
 *  - rejects what RE2 accepts but Java rejects or reads differently: a literal `{`, octal
 *    `\0nn`, `\v`, nested classes and `&&` intersections, a quantifier after `(?i)`.
 * Known remaining differences: under `(?i)` Java folds ASCII letters only, RE2 all of Unicode;
 * in a pattern that turns DOTALL on anywhere, `.` outside that scope also matches \r,
 * U+0085, U+2028 and U+2029. Kafka topic names (ASCII letters, digits, ".", "_", "-") are
 * never affected.
 */

/** A Java pattern RE2 cannot run with the same meaning; `reason` says why. */
export class UnsupportedJavaRegex extends Error {
  readonly reason: string;

  constructor(reason: string) {
    super(reason);
    this.reason = reason;
  }
}

const JAVA_DOT = "[^\\n\\r\\x{85}\\x{2028}\\x{2029}]";
const JAVA_SPACE_MEMBERS = " \\t\\n\\x0B\\f\\r";
// The complement of Java's \s, as class members.
const JAVA_NON_SPACE_MEMBERS = "\\x00-\\x08\\x0E-\\x1F\\x21-\\x{10FFFF}";
// An inline flag group such as (?i) or (?-s), which matches nothing and cannot be repeated.
const FLAG_GROUP = /^\(\?[a-zA-Z]*(-[a-zA-Z]*)?\)/;
const QUANTIFIERS = "*+?";
// {n}, {n,} or {n,m}: the only meaning Java gives an unescaped "{".
const REPETITION = /^\{[0-9]+(,[0-9]*)?\}/;
// Any inline flags turning DOTALL on, e.g. (?s), (?is), (?s:...).
const DOTALL_FLAG = /\(\?[a-zA-Z]*s[a-zA-Z]*[-:)]/;

/**
 * Translates a Java pattern into an RE2 pattern with the same matches.
 * @throws UnsupportedJavaRegex for constructs that cannot be translated.
 */
export function translateJavaRegex(pattern: string): string {
  // With DOTALL anywhere, `.` is left to RE2 (scoping flags is not worth a parser here).
  const rewriteDots = !DOTALL_FLAG.test(pattern);
  let out = "";
  let inClass = false;
  let classBodyStart = -1;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "\\") {
      const next = pattern[i + 1];
      if (next === "Q") {
        // Quoted literal up to \E (or the end); RE2 reads \Q...\E the same way.
        const end = pattern.indexOf("\\E", i + 2);
        const stop = end < 0 ? pattern.length : end + 2;
        out += pattern.slice(i, stop);
        i = stop - 1;
        continue;
      }
      if (next === "v")
        throw new UnsupportedJavaRegex("\\v means any vertical whitespace in Java; write the characters");
      if (next === "0") throw new UnsupportedJavaRegex("octal escapes (\\0nn) are not supported; use \\xhh");
      if ((next === "p" || next === "P" || next === "x" || next === "N") && pattern[i + 2] === "{") {
        // \p{Lu}, \x{41}...: the braces belong to the escape.
        const close = pattern.indexOf("}", i + 3);
        const stop = close < 0 ? pattern.length : close + 1;
        out += pattern.slice(i, stop);
        i = stop - 1;
        continue;
      }
      if (next === "u" && /^[0-9a-fA-F]{4}$/.test(pattern.slice(i + 2, i + 6))) {
        out += `\\x{${pattern.slice(i + 2, i + 6)}}`;
        i += 5;
        continue;
      }
      if (next === "e") out += "\\x1B";
      else if (next === "s") out += inClass ? JAVA_SPACE_MEMBERS : `[${JAVA_SPACE_MEMBERS}]`;
      else if (next === "S") out += inClass ? JAVA_NON_SPACE_MEMBERS : `[^${JAVA_SPACE_MEMBERS}]`;
      else out += c + (next ?? "");
      i++;
      continue;
    }
    if (inClass) {
      if (c === "[")
        throw new UnsupportedJavaRegex(
          "nested character classes (Java class union, or [[:alpha:]]) are not supported",
        );
      if (c === "&" && pattern[i + 1] === "&")
        throw new UnsupportedJavaRegex("character class intersection (&&) is not supported");
      if (c === "]" && i > classBodyStart) inClass = false;
      out += c;
      continue;
    }
    if (c === "[") {
      inClass = true;
      classBodyStart = pattern[i + 1] === "^" ? i + 2 : i + 1;
    } else if (c === "{" && !REPETITION.test(pattern.slice(i, i + 24))) {
      throw new UnsupportedJavaRegex("a literal { must be escaped as \\{ (Java rejects it)");
    } else if (c === "(" && pattern[i + 1] === "?") {
      const flags = FLAG_GROUP.exec(pattern.slice(i, i + 16));
      if (flags !== null && QUANTIFIERS.includes(pattern[i + flags[0].length] ?? "\u0000")) {
        throw new UnsupportedJavaRegex(`nothing to repeat after ${flags[0]} (Java rejects it)`);
      }
    } else if (c === "." && rewriteDots) {
      out += JAVA_DOT;
      continue;
    }
    out += c;
  }
  return out;
}
