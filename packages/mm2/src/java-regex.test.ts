import { RE2JS } from "re2js";
import { describe, expect, it } from "vitest";
import { translateJavaRegex, UnsupportedJavaRegex } from "./java-regex.ts";

const javaMatches = (pattern: string, name: string) =>
  RE2JS.compile(translateJavaRegex(pattern)).testExact(name);

describe("translateJavaRegex", () => {
  it("keeps Java's `.`, which does not match any line terminator", () => {
    for (const terminator of ["\n", "\r", "\u0085", "\u2028", "\u2029"]) {
      expect(javaMatches("a.b", `a${terminator}b`)).toBe(false);
    }
    expect(javaMatches("a.b", "a\u000bb")).toBe(true);
    expect(javaMatches("(?s)a.b", "a\u0085b")).toBe(true);
  });

  it("keeps Java's \\s and \\S, which include the vertical tab", () => {
    expect(javaMatches("\\s", "\u000b")).toBe(true);
    expect(javaMatches("[\\s]", "\u000b")).toBe(true);
    expect(javaMatches("\\S", "\u000b")).toBe(false);
    expect(javaMatches("[\\S]+", "aé\u{1F600}")).toBe(true);
    expect(javaMatches("[\\S]", " ")).toBe(false);
  });

  it("understands Java-only escapes it can translate", () => {
    expect(javaMatches("\\u0041", "A")).toBe(true);
    expect(javaMatches("\\e", "\u001b")).toBe(true);
    expect(javaMatches("\\p{Lu}\\x{41}", "ÉA")).toBe(true);
  });

  it("leaves quoted text alone", () => {
    expect(javaMatches("\\Q.{\\E", ".{")).toBe(true);
    expect(javaMatches("\\Q.{\\E", "x{")).toBe(false);
  });

  it("rejects what Java rejects or reads differently", () => {
    for (const pattern of [
      "a{",
      "{,3}",
      "x{a}",
      "\\0101",
      "\\v",
      "[a[b]]",
      "[a-z&&[^b]]",
      "(?i)*",
      "a(?-i)?",
    ]) {
      expect(() => translateJavaRegex(pattern), pattern).toThrow(UnsupportedJavaRegex);
    }
    for (const pattern of ["a{2}", "a{2,}", "a{2,3}", "[{]", "\\{", "a}", "(?i)a", "[]a]"]) {
      expect(() => translateJavaRegex(pattern), pattern).not.toThrow();
    }
  });
});
