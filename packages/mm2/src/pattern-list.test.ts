import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InvalidPatternError } from "./mm2-error.ts";
import { PatternList } from "./pattern-list.ts";
import { catchMm2Error } from "./test-support.ts";

describe("PatternList", () => {
  it("matches whole names only, like Java's Matcher.matches()", () => {
    const list = PatternList.compile("topic, orders-.*");
    expect(list.matches("topic")).toBe(true);
    expect(list.matches("topic1")).toBe(false);
    expect(list.matches("my-topic")).toBe(false);
    expect(list.matches("orders-eu")).toBe(true);
  });

  it("treats names as regexes: a dot matches any character", () => {
    expect(PatternList.compile("orders.v1").matches("ordersXv1")).toBe(true);
    expect(PatternList.compile("orders\\.v1").matches("ordersXv1")).toBe(false);
  });

  it("matches nothing when the list is empty", () => {
    expect(PatternList.compile("").matches("")).toBe(false);
    expect(PatternList.compile("   ").matches("anything")).toBe(false);
    expect(PatternList.compile([]).matches("anything")).toBe(false);
  });

  it("splits on commas with surrounding whitespace and keeps empty entries, like ConfigDef", () => {
    expect(PatternList.compile(" a ,\tb,c ").entries).toEqual(["a", "b", "c"]);
    // Java joins "a," into "a|", whose empty alternative matches the empty name.
    const trailing = PatternList.compile("a,");
    expect(trailing.entries).toEqual(["a", ""]);
    expect(trailing.matches("")).toBe(true);
  });

  it("joins entries before compiling, as MM2 does, so commas inside a group still work", () => {
    const list = PatternList.compile("(a,b)");
    expect(list.matches("a")).toBe(true);
    expect(list.matches("b")).toBe(true);
    // Java compiles "x(|)y": entries are not isolated from each other.
    const spanning = PatternList.compile("x(,)y");
    expect(spanning.matches("xy")).toBe(true);
    expect(spanning.matches("x")).toBe(false);
  });

  it("names the entry at fault and why", () => {
    const error = catchMm2Error(() => PatternList.compile("good.*, bad("));
    expect(error).toBeInstanceOf(InvalidPatternError);
    expect(error.code).toBe("INVALID_PATTERN");
    expect((error as InvalidPatternError).pattern).toBe("bad(");
    expect((error as InvalidPatternError).reason).toContain("missing closing )");
  });

  it("rejects Java syntax the linear-time engine lacks, explaining why", () => {
    for (const [pattern, hint] of [
      ["(?=a).*", "lookahead"],
      ["(a)\\1", "backreferences"],
      ["a++", "possessive"],
      ["\\p{Alpha}+", "\\p{Alpha}"],
    ] as const) {
      const error = catchMm2Error(() => PatternList.compile(pattern)) as InvalidPatternError;
      expect(error.code).toBe("INVALID_PATTERN");
      expect(error.pattern).toBe(pattern);
      expect(error.reason).toContain(hint);
    }
  });

  it("rejects constructs RE2 would read differently from Java, or that Java rejects", () => {
    for (const pattern of ["[a-z&&[^b]]", "[[:alpha:]]+", "a\\vb", "orders{", "\\012"]) {
      expect(catchMm2Error(() => PatternList.compile(pattern)).code).toBe("INVALID_PATTERN");
    }
    // A literal "[" or "]" where Java accepts it is fine.
    expect(PatternList.compile("[]a]").matches("]")).toBe(true);
    expect(PatternList.compile("\\[x\\]").matches("[x]")).toBe(true);
    expect(PatternList.compile("\\Q[a&&b]\\E").matches("[a&&b]")).toBe(true);
  });

  it("matches in linear time a pattern that makes backtracking engines explode", () => {
    const list = PatternList.compile("(a|aa)*b, (x+x+)+y");
    const started = performance.now();
    expect(list.matches("a".repeat(5000))).toBe(false);
    expect(list.matches("x".repeat(5000))).toBe(false);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it("compiles any list of literal-quoted names and matches exactly those names", () => {
    const quote = (name: string) => `\\Q${name}\\E`;
    const names = fc
      .string({ unit: "grapheme-ascii", maxLength: 12 })
      .filter((s) => !s.includes("\\E") && !s.includes(","));
    fc.assert(
      fc.property(fc.uniqueArray(names, { maxLength: 5 }), names, (listed, probe) => {
        const list = PatternList.compile(listed.map(quote));
        expect(list.matches(probe)).toBe(listed.includes(probe));
      }),
    );
  });

  it("never throws anything but InvalidPatternError for arbitrary pattern text", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (pattern) => {
        try {
          PatternList.compile(pattern).matches("probe");
        } catch (error) {
          expect(error).toBeInstanceOf(InvalidPatternError);
        }
      }),
      { numRuns: 500 },
    );
  });
});
