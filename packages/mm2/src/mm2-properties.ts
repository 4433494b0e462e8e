import { Mm2FormatError } from "./mm2-error.ts";

/*
 * Java `.properties` text, as `java.util.Properties.load` reads it and `store` writes it:
 * the format of `mm2.properties`.
 */

/** Largest accepted file: 1 MiB of UTF-8. */
export const MAX_PROPERTIES_BYTES = 1024 * 1024;

export interface ParsedProperties {
  /** Keys in order of first appearance; values of the last appearance (Java: last wins). */
  properties: Map<string, string>;
  /** Keys that appear more than once, in order of their second appearance. */
  duplicateKeys: string[];
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Parses `.properties` text: `#`/`!` comment lines, `key=value`, `key: value`, `key value`,
 * backslash line continuation, `\uXXXX` and `\t \n \r \f` escapes, `\x` → `x` otherwise.
 * Bytes must be UTF-8 (a leading BOM is dropped); NUL bytes, invalid UTF-8 and input over
 * 1 MiB are rejected with a {@link Mm2FormatError}, as is a malformed `\uXXXX`.
 */
export function parseProperties(input: string | Uint8Array): ParsedProperties {
  let text = typeof input === "string" ? checkText(input) : decodeBytes(input);
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const properties = new Map<string, string>();
  const duplicateKeys: string[] = [];
  for (const line of logicalLines(text)) {
    const { key, value } = splitKeyValue(line.text, line.number);
    if (properties.has(key)) duplicateKeys.push(key);
    properties.set(key, value);
  }
  return { properties, duplicateKeys };
}

function checkText(text: string): string {
  // Cheap bound first: a UTF-16 unit is at most 3 UTF-8 bytes.
  if (text.length * 3 > MAX_PROPERTIES_BYTES && Buffer.byteLength(text, "utf8") > MAX_PROPERTIES_BYTES) {
    throw tooLarge(Buffer.byteLength(text, "utf8"));
  }
  const nul = text.indexOf("\0");
  if (nul >= 0) throw binary(nul);
  return text;
}

function decodeBytes(bytes: Uint8Array): string {
  if (bytes.byteLength > MAX_PROPERTIES_BYTES) throw tooLarge(bytes.byteLength);
  const nul = bytes.indexOf(0);
  if (nul >= 0) throw binary(nul);
  try {
    return utf8.decode(bytes);
  } catch {
    throw new Mm2FormatError(
      "MM2_PROPERTIES_INVALID_UTF8",
      "The properties file is not valid UTF-8 text; save it as UTF-8 (or use \\uXXXX escapes)",
    );
  }
}

function tooLarge(bytes: number): Mm2FormatError {
  return new Mm2FormatError(
    "MM2_PROPERTIES_TOO_LARGE",
    `The properties file is ${bytes} bytes; at most ${MAX_PROPERTIES_BYTES} (1 MiB) are accepted`,
    { bytes, max: MAX_PROPERTIES_BYTES },
  );
}

function binary(position: number): Mm2FormatError {
  return new Mm2FormatError(
    "MM2_PROPERTIES_BINARY",
    `The properties file contains a NUL byte at position ${position}; it looks like a binary file, not text`,
    { position },
  );
}

interface LogicalLine {
  text: string;
  /** 1-based number of the natural line where it starts. */
  number: number;
}

function isBlank(c: string): boolean {
  return c === " " || c === "\t" || c === "\f";
}

/** Java's `Properties.LineReader`: joins continued lines, drops comments and blank lines. */
function* logicalLines(text: string): Generator<LogicalLine> {
  let chars: string[] = [];
  let skipWhiteSpace = true;
  let appendedLineBegin = false;
  let precedingBackslash = false;
  let lineNumber = 1;
  let startLine = 1;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    i++;
    const isLineEnd = c === "\n" || c === "\r";
    if (c === "\n" || (c === "\r" && text[i] !== "\n")) lineNumber++;
    if (skipWhiteSpace) {
      if (isBlank(c)) continue;
      if (!appendedLineBegin && isLineEnd) continue;
      skipWhiteSpace = false;
      appendedLineBegin = false;
    }
    if (chars.length === 0 && (c === "#" || c === "!")) {
      // Comment: skip to the end of the natural line; it is never continued.
      while (i < n && text[i] !== "\n" && text[i] !== "\r") i++;
      skipWhiteSpace = true;
      continue;
    }
    if (!isLineEnd) {
      if (chars.length === 0) startLine = lineNumber;
      chars.push(c);
      precedingBackslash = c === "\\" ? !precedingBackslash : false;
      continue;
    }
    if (chars.length === 0) {
      skipWhiteSpace = true;
      continue;
    }
    if (precedingBackslash) {
      // A backslash at the end of a line continues it; the next line's indentation is skipped.
      chars.pop();
      precedingBackslash = false;
      if (i >= n) {
        // Java ends the line here, even when nothing is left of it (a lone "\\" gives key "").
        yield { text: chars.join(""), number: startLine };
        return;
      }
      skipWhiteSpace = true;
      appendedLineBegin = true;
      if (c === "\r" && text[i] === "\n") {
        i++;
        lineNumber++;
      }
      continue;
    }
    yield { text: chars.join(""), number: startLine };
    chars = [];
    skipWhiteSpace = true;
  }
  if (chars.length > 0) {
    if (precedingBackslash) chars.pop();
    yield { text: chars.join(""), number: startLine };
  }
}

/** Java's `Properties.load0` split of a logical line into key and value. */
function splitKeyValue(line: string, lineNumber: number): { key: string; value: string } {
  const limit = line.length;
  let keyLength = 0;
  let valueStart = limit;
  let hasSeparator = false;
  let precedingBackslash = false;
  while (keyLength < limit) {
    const c = line[keyLength]!;
    if ((c === "=" || c === ":") && !precedingBackslash) {
      valueStart = keyLength + 1;
      hasSeparator = true;
      break;
    }
    if (isBlank(c) && !precedingBackslash) {
      valueStart = keyLength + 1;
      break;
    }
    precedingBackslash = c === "\\" ? !precedingBackslash : false;
    keyLength++;
  }
  while (valueStart < limit) {
    const c = line[valueStart]!;
    if (!isBlank(c)) {
      if (!hasSeparator && (c === "=" || c === ":")) hasSeparator = true;
      else break;
    }
    valueStart++;
  }
  return {
    key: loadConvert(line, 0, keyLength, lineNumber),
    value: loadConvert(line, valueStart, limit, lineNumber),
  };
}

/** Java's `Properties.loadConvert`. */
function loadConvert(line: string, start: number, end: number, lineNumber: number): string {
  const firstBackslash = line.indexOf("\\", start);
  if (firstBackslash < 0 || firstBackslash >= end) return line.slice(start, end);
  let out = "";
  let i = start;
  while (i < end) {
    let c = line[i]!;
    i++;
    if (c !== "\\") {
      out += c;
      continue;
    }
    // The line reader drops an odd trailing backslash, so one always follows within the line.
    c = line[i] ?? "";
    i++;
    if (c === "u") {
      const hex = line.slice(i, i + 4);
      if (i + 4 > end || !/^[0-9a-fA-F]{4}$/.test(hex)) {
        throw new Mm2FormatError(
          "MM2_PROPERTIES_MALFORMED_ESCAPE",
          `Line ${lineNumber}: malformed \\uXXXX escape ${JSON.stringify(`\\u${line.slice(i, Math.min(i + 4, end))}`)}; it needs four hex digits`,
          { line: lineNumber },
        );
      }
      out += String.fromCharCode(Number.parseInt(hex, 16));
      i += 4;
    } else if (c === "t") out += "\t";
    else if (c === "r") out += "\r";
    else if (c === "n") out += "\n";
    else if (c === "f") out += "\f";
    else out += c;
  }
  return out;
}

export interface SerializePropertiesOptions {
  /** Comment lines written first, each prefixed with "# ". */
  comments?: readonly string[];
}

/**
 * Writes properties as `Properties.store(OutputStream)` does: `key=value` lines, with every
 * character outside printable ASCII written as `\uXXXX`, so the output is ASCII and reads the
 * same in Java whatever the file encoding. `parseProperties(serializeProperties(m))` equals `m`.
 */
export function serializeProperties(
  properties: Iterable<readonly [string, string]>,
  options: SerializePropertiesOptions = {},
): string {
  let out = "";
  for (const comment of options.comments ?? []) {
    for (const line of comment.split(/\r\n|\r|\n/)) out += `# ${escapeComment(line)}\n`;
  }
  for (const [key, value] of properties) {
    out += `${saveConvert(key, true)}=${saveConvert(value, false)}\n`;
  }
  return out;
}

/** Java's `Properties.saveConvert` with `escapeUnicode` = true. */
function saveConvert(text: string, isKey: boolean): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    const code = text.charCodeAt(i);
    if (code > 61 && code < 127) {
      out += c === "\\" ? "\\\\" : c;
      continue;
    }
    switch (c) {
      case " ":
        out += i === 0 || isKey ? "\\ " : " ";
        break;
      case "\t":
        out += "\\t";
        break;
      case "\n":
        out += "\\n";
        break;
      case "\r":
        out += "\\r";
        break;
      case "\f":
        out += "\\f";
        break;
      case "=":
      case ":":
      case "#":
      case "!":
        out += `\\${c}`;
        break;
      default:
        out += code < 0x20 || code > 0x7e ? unicodeEscape(code) : c;
    }
  }
  return out;
}

function escapeComment(line: string): string {
  let out = "";
  for (let i = 0; i < line.length; i++) {
    const code = line.charCodeAt(i);
    out += code < 0x20 || code > 0x7e ? unicodeEscape(code) : line[i];
  }
  return out;
}

function unicodeEscape(code: number): string {
  return `\\u${code.toString(16).toUpperCase().padStart(4, "0")}`;
}
