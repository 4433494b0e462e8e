import { parseProperties, serializeProperties } from "@mirrordeck/mm2";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  formatJaasConfig,
  type JaasParseResult,
  PLAIN_LOGIN_MODULE,
  parseJaasConfig,
  SCRAM_LOGIN_MODULE,
} from "./jaas.ts";

function options(result: JaasParseResult): Record<string, string> {
  if (!result.ok) throw new Error(`not parsed: ${result.reason}`);
  return Object.fromEntries(result.entry.options);
}

describe("parseJaasConfig", () => {
  it("reads Kafka's documented forms", () => {
    const plain = parseJaasConfig(`${PLAIN_LOGIN_MODULE} required username="alice" password="alice-secret";`);
    expect(plain).toEqual({
      ok: true,
      entry: {
        loginModule: PLAIN_LOGIN_MODULE,
        controlFlag: "required",
        options: new Map([
          ["username", "alice"],
          ["password", "alice-secret"],
        ]),
      },
    });
    expect(
      options(parseJaasConfig(`${SCRAM_LOGIN_MODULE} required\n  username="mm2"\n  password="pw";`)),
    ).toEqual({
      username: "mm2",
      password: "pw",
    });
  });

  it("reads unquoted words, single quotes, escapes and comments as StreamTokenizer does", () => {
    expect(
      options(
        parseJaasConfig(
          `// client\n${PLAIN_LOGIN_MODULE} Required /* who */ username=svc_mm2-1.a password='a\\'b\\"c\\\\d\\n\\101\\7x';`,
        ),
      ),
    ).toEqual({ username: "svc_mm2-1.a", password: "a'b\"c\\d\nA\u0007x" });
  });

  it("rejects what Kafka rejects, without quoting the value", () => {
    const cases: [string, RegExp][] = [
      ["", /empty/],
      ["   ", /empty/],
      ['"quoted" required;', /login module class/],
      [`${PLAIN_LOGIN_MODULE};`, /required, requisite/],
      [`${PLAIN_LOGIN_MODULE} mandatory;`, /required, requisite/],
      [`${PLAIN_LOGIN_MODULE} required username="u"`, /terminated/],
      [`${PLAIN_LOGIN_MODULE} required username;`, /no value/],
      [`${PLAIN_LOGIN_MODULE} required password=12345;`, /no value/],
      [`${PLAIN_LOGIN_MODULE} required "Secret99";`, /no value/],
      [`${PLAIN_LOGIN_MODULE} required; ${SCRAM_LOGIN_MODULE} required;`, /more than one/],
    ];
    for (const [text, reason] of cases) {
      const result = parseJaasConfig(text);
      expect(result.ok, text).toBe(false);
      if (!result.ok) {
        expect(result.reason).toMatch(reason);
        expect(result.reason).not.toContain("Secret99");
        expect(result.reason).not.toContain("12345");
      }
    }
  });

  it("reads back whatever formatJaasConfig writes, also through a properties file", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "binary", maxLength: 30 }),
        fc.string({ unit: "binary", maxLength: 30 }),
        (username, password) => {
          const text = formatJaasConfig(SCRAM_LOGIN_MODULE, [
            ["username", username],
            ["password", password],
          ]);
          expect(options(parseJaasConfig(text))).toEqual({ username, password });
          const stored = parseProperties(serializeProperties([["a.sasl.jaas.config", text]]));
          expect(stored.properties.get("a.sasl.jaas.config")).toBe(text);
        },
      ),
    );
  });
});
