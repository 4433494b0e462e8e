import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Mm2FormatError } from "./mm2-error.ts";
import { MAX_PROPERTIES_BYTES, parseProperties, serializeProperties } from "./mm2-properties.ts";
import { catchMm2Error, returnsOrThrowsMm2Error } from "./test-support.ts";

const entries = (text: string | Uint8Array) => [...parseProperties(text).properties];

describe("parseProperties (java.util.Properties.load)", () => {
  it("accepts =, : and whitespace as separators, trimming around them", () => {
    expect(entries("a=1\nb:2\nc 3\nd\t4\ne\f5\n  f   =   6  \ng = = 7\nh :8\ni\n")).toEqual([
      ["a", "1"],
      ["b", "2"],
      ["c", "3"],
      ["d", "4"],
      ["e", "5"],
      ["f", "6  "],
      ["g", "= 7"],
      ["h", "8"],
      ["i", ""],
    ]);
  });

  it("skips # and ! comments and blank lines, but not # inside a value", () => {
    expect(entries("# comment\n! comment\n   # indented\n\n   \na=b # not a comment\n")).toEqual([
      ["a", "b # not a comment"],
    ]);
  });

  it("joins lines ending in an odd number of backslashes and skips the next line's indentation", () => {
    expect(entries("a=one \\\n    two\\\r\n\tthree\nb=c\\\\\nd=e")).toEqual([
      ["a", "one twothree"],
      ["b", "c\\"],
      ["d", "e"],
    ]);
  });

  it("never continues a comment line", () => {
    expect(entries("# comment \\\na=b")).toEqual([["a", "b"]]);
  });

  it("decodes escapes in keys and values", () => {
    expect(entries("a\\ b\\=c\\:d=\\u0041\\u00e9\\t\\n\\r\\f\\x\\\\")).toEqual([
      ["a b=c:d", "Aé\t\n\r\fx\\"],
    ]);
  });

  it("handles CRLF and CR line endings", () => {
    expect(entries("a=1\r\nb=2\rc=3")).toEqual([
      ["a", "1"],
      ["b", "2"],
      ["c", "3"],
    ]);
  });

  it("follows Java's edge cases for empty keys and trailing backslashes", () => {
    expect(entries("=v")).toEqual([["", "v"]]);
    expect(entries("a=b\\")).toEqual([["a", "b"]]);
    expect(entries("\\")).toEqual([["", ""]]);
    expect(entries("\\\n")).toEqual([["", ""]]);
    expect(entries("\\\n  ")).toEqual([]);
  });

  it("keeps the first position and the last value of a repeated key, and reports it", () => {
    const parsed = parseProperties("a=1\nb=2\na=3\n");
    expect([...parsed.properties]).toEqual([
      ["a", "3"],
      ["b", "2"],
    ]);
    expect(parsed.duplicateKeys).toEqual(["a"]);
  });

  it("rejects a malformed \\uXXXX escape, naming the line", () => {
    const error = catchMm2Error(() => parseProperties("a=1\n\nb=\\u12g4"));
    expect(error.code).toBe("MM2_PROPERTIES_MALFORMED_ESCAPE");
    expect(error.message).toContain("Line 3");
    expect(catchMm2Error(() => parseProperties("k\\u12=v")).code).toBe("MM2_PROPERTIES_MALFORMED_ESCAPE");
  });

  it("reads UTF-8 bytes and drops a byte-order mark", () => {
    expect(entries(Buffer.from("\uFEFFclusters=é\n", "utf8"))).toEqual([["clusters", "é"]]);
  });

  it("rejects binary and non-UTF-8 input", () => {
    expect(catchMm2Error(() => parseProperties(Buffer.from([0x61, 0x3d, 0x00]))).code).toBe(
      "MM2_PROPERTIES_BINARY",
    );
    expect(catchMm2Error(() => parseProperties("a=\u0000")).code).toBe("MM2_PROPERTIES_BINARY");
    expect(catchMm2Error(() => parseProperties(Buffer.from([0x61, 0x3d, 0xc3, 0x28]))).code).toBe(
      "MM2_PROPERTIES_INVALID_UTF8",
    );
  });

  it("accepts up to 1 MiB and rejects more, for text and bytes", () => {
    const limit = `a=${"x".repeat(MAX_PROPERTIES_BYTES - 2)}`;
    expect(parseProperties(limit).properties.get("a")).toHaveLength(MAX_PROPERTIES_BYTES - 2);
    expect(catchMm2Error(() => parseProperties(`${limit}x`)).code).toBe("MM2_PROPERTIES_TOO_LARGE");
    expect(catchMm2Error(() => parseProperties(Buffer.alloc(MAX_PROPERTIES_BYTES + 1, 0x61))).code).toBe(
      "MM2_PROPERTIES_TOO_LARGE",
    );
    // 1 MiB counted in UTF-8 bytes, not characters.
    expect(catchMm2Error(() => parseProperties("é".repeat(MAX_PROPERTIES_BYTES / 2 + 1))).code).toBe(
      "MM2_PROPERTIES_TOO_LARGE",
    );
  });
});

describe("serializeProperties (java.util.Properties.store)", () => {
  it("escapes what the reader would otherwise interpret", () => {
    expect(
      serializeProperties([
        ["a b", " lead and trail "],
        ["k=:#!", "v=:#!\\"],
        ["tabs", "\t\n\r\f"],
        ["unicode", "é😀\u0001"],
        ["", ""],
      ]),
    ).toBe(
      [
        "a\\ b=\\ lead and trail ",
        "k\\=\\:\\#\\!=v\\=\\:\\#\\!\\\\",
        "tabs=\\t\\n\\r\\f",
        "unicode=\\u00E9\\uD83D\\uDE00\\u0001",
        "=",
        "",
      ].join("\n"),
    );
  });

  it("writes comment lines first, one # per line", () => {
    expect(serializeProperties([["a", "1"]], { comments: ["MirrorDeck export", "two\nlines"] })).toBe(
      "# MirrorDeck export\n# two\n# lines\na=1\n",
    );
  });
});

const anyText = fc.string({
  unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)),
  maxLength: 20,
});
const trickyText = fc.string({
  unit: fc.constantFrom("a", "=", ":", " ", "\t", "\f", "\\", "\n", "\r", "#", "!", "u", "0", "A", "é", "😀"),
  maxLength: 40,
});

describe("properties round trips (property tests)", () => {
  it("parse(serialize(m)) equals m for any keys and values, including lone surrogates and control chars", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.tuple(anyText, anyText), { selector: ([key]) => key, maxLength: 10 }),
        (pairs) => {
          const text = serializeProperties(pairs);
          expect(/^[\x20-\x7e\n]*$/.test(text)).toBe(true);
          expect(entries(text)).toEqual(pairs);
        },
      ),
    );
  });

  it("parses any text to entries or a typed error, and re-serialises what it parsed losslessly", () => {
    fc.assert(
      fc.property(fc.oneof(trickyText, anyText), (text) => {
        let parsed: Map<string, string>;
        try {
          parsed = parseProperties(text).properties;
        } catch (error) {
          expect(error).toBeInstanceOf(Mm2FormatError);
          expect((error as Mm2FormatError).code).toMatch(/^MM2_PROPERTIES_/);
          return;
        }
        expect(parseProperties(serializeProperties(parsed)).properties).toEqual(parsed);
      }),
      { numRuns: 500 },
    );
  });

  it("parses any bytes and any truncation of a valid file to entries or a typed error", () => {
    const file = serializeProperties([
      ["clusters", "A, B"],
      ["A.bootstrap.servers", "a:9092"],
      ["A->B.topics", "orders\\..*, é"],
    ]);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat(file.length), (bytes, cut) => {
        returnsOrThrowsMm2Error(() => parseProperties(bytes));
        returnsOrThrowsMm2Error(() => parseProperties(file.slice(0, cut)));
      }),
      { numRuns: 500 },
    );
  });
});
