import type { SaslMechanismName } from "@mirrordeck/contracts";

/*
 * `sasl.jaas.config` values, as Kafka's `JaasConfig` reads them: one login module entry,
 * `<LoginModuleClass> <flag> key=value ... ;`, tokenised by Java's `StreamTokenizer` (words,
 * "double" or 'single' quoted strings with backslash escapes, // and /* comments).
 */

export const PLAIN_LOGIN_MODULE = "org.apache.kafka.common.security.plain.PlainLoginModule";
export const SCRAM_LOGIN_MODULE = "org.apache.kafka.common.security.scram.ScramLoginModule";

/** The login module each supported SASL mechanism needs. */
export const LOGIN_MODULES: Record<SaslMechanismName, string> = {
  PLAIN: PLAIN_LOGIN_MODULE,
  "SCRAM-SHA-256": SCRAM_LOGIN_MODULE,
  "SCRAM-SHA-512": SCRAM_LOGIN_MODULE,
};

const CONTROL_FLAGS = new Set(["required", "requisite", "sufficient", "optional"]);

export interface JaasEntry {
  loginModule: string;
  controlFlag: string;
  options: Map<string, string>;
}

export type JaasParseResult = { ok: true; entry: JaasEntry } | { ok: false; reason: string };

type Token = { kind: "word" | "quoted"; text: string } | { kind: "char"; text: string } | { kind: "number" };

/**
 * Parses a client `sasl.jaas.config` value. Reasons never quote the value (it holds a password).
 */
export function parseJaasConfig(value: string): JaasParseResult {
  const tokens = tokenize(value);
  let i = 0;
  const next = (): Token | undefined => tokens[i++];

  const module = next();
  if (module === undefined) return { ok: false, reason: "it is empty" };
  if (module.kind !== "word") return { ok: false, reason: "it does not start with a login module class" };
  const flag = next();
  if (flag === undefined || flag.kind !== "word" || !CONTROL_FLAGS.has(flag.text.toLowerCase())) {
    return {
      ok: false,
      reason: "the login module is not followed by required, requisite, sufficient or optional",
    };
  }
  const options = new Map<string, string>();
  for (;;) {
    const key = next();
    if (key === undefined) return { ok: false, reason: "the entry is not terminated by ';'" };
    if (key.kind === "char" && key.text === ";") break;
    if (key.kind !== "word" && key.kind !== "quoted") {
      return { ok: false, reason: "an option name is missing" };
    }
    const equals = next();
    const optionValue = next();
    if (
      equals?.kind !== "char" ||
      equals.text !== "=" ||
      optionValue === undefined ||
      (optionValue.kind !== "word" && optionValue.kind !== "quoted")
    ) {
      return { ok: false, reason: 'an option has no value (options are written name="value")' };
    }
    options.set(key.text, optionValue.text);
  }
  if (i < tokens.length)
    return { ok: false, reason: "it holds more than one login module; a client takes one" };
  return { ok: true, entry: { loginModule: module.text, controlFlag: flag.text.toLowerCase(), options } };
}

/** Writes `<module> required username="..." password="...";`, quoting as `StreamTokenizer` reads. */
export function formatJaasConfig(
  loginModule: string,
  options: ReadonlyArray<readonly [string, string]>,
): string {
  const parts = [loginModule, "required", ...options.map(([key, value]) => `${key}=${quoteJaas(value)}`)];
  return `${parts.join(" ")};`;
}

function quoteJaas(value: string): string {
  let out = '"';
  for (const c of value) {
    const code = c.codePointAt(0)!;
    if (c === '"' || c === "\\") out += `\\${c}`;
    else if (c === "\n") out += "\\n";
    else if (c === "\r") out += "\\r";
    else if (c === "\t") out += "\\t";
    else if (code < 0x20) out += `\\${code.toString(8).padStart(3, "0")}`;
    else out += c;
  }
  return `${out}"`;
}

// StreamTokenizer's default syntax plus Kafka's wordChars('-'), ('_'), ('$'): chars >= 256 are
// word chars, 160-255 too; digits, '.' and '-' continue a word but start a number.
function isWordStart(code: number): boolean {
  return (
    (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x61 && code <= 0x7a) ||
    code === 0x5f ||
    code === 0x24 ||
    code >= 0xa0
  );
}

function isNumberChar(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || code === 0x2e || code === 0x2d;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text[i]!;
    const code = text.charCodeAt(i);
    if (code <= 0x20) {
      i++;
    } else if (c === "/") {
      if (text[i + 1] === "*") {
        const end = text.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
      } else {
        // "//" and, as '/' is StreamTokenizer's comment char, a lone '/': to the end of the line.
        while (i < n && text[i] !== "\n" && text[i] !== "\r") i++;
      }
    } else if (c === '"' || c === "'") {
      const quoted = readQuoted(text, i + 1, c);
      tokens.push({ kind: "quoted", text: quoted.value });
      i = quoted.end;
    } else if (isWordStart(code)) {
      let end = i + 1;
      while (end < n) {
        const k = text.charCodeAt(end);
        if (!isWordStart(k) && !isNumberChar(k)) break;
        end++;
      }
      tokens.push({ kind: "word", text: text.slice(i, end) });
      i = end;
    } else if (isNumberChar(code)) {
      // A number token has no string value: Kafka rejects it as an option value.
      if (c === "-" && !isNumberChar(text.charCodeAt(i + 1) || 0)) {
        tokens.push({ kind: "char", text: c });
        i++;
        continue;
      }
      let end = i + 1;
      while (end < n && isNumberChar(text.charCodeAt(end)) && text[end] !== "-") end++;
      tokens.push({ kind: "number" });
      i = end;
    } else {
      tokens.push({ kind: "char", text: c });
      i++;
    }
  }
  return tokens;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  a: "\u0007",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
};

/** A quoted string from `start` (after the quote); a line end or the end of input also ends it. */
function readQuoted(text: string, start: number, quote: string): { value: string; end: number } {
  let value = "";
  let i = start;
  while (i < text.length) {
    const c = text[i]!;
    if (c === quote) return { value, end: i + 1 };
    if (c === "\n" || c === "\r") return { value, end: i };
    i++;
    if (c !== "\\") {
      value += c;
      continue;
    }
    const e = text[i];
    if (e === undefined) break;
    i++;
    if (e >= "0" && e <= "7") {
      let octal = e.charCodeAt(0) - 48;
      const second = text[i];
      if (second !== undefined && second >= "0" && second <= "7") {
        octal = octal * 8 + second.charCodeAt(0) - 48;
        i++;
        const third = text[i];
        if (e <= "3" && third !== undefined && third >= "0" && third <= "7") {
          octal = octal * 8 + third.charCodeAt(0) - 48;
          i++;
        }
      }
      value += String.fromCharCode(octal);
    } else {
      value += SIMPLE_ESCAPES[e] ?? e;
    }
  }
  return { value, end: i };
}
