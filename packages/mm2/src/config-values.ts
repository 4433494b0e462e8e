import { javaTrim, parseConfigList } from "./config-list.ts";

/*
 * Typed config values as Kafka's `ConfigDef.parseType` reads them (after Java trim):
 * BOOLEAN is "true"/"false" in any case; INT and LONG are decimal with an optional sign.
 * Each parser returns the value or a reason it was rejected.
 */

export type ParsedValue<T> = { ok: true; value: T } | { ok: false; reason: string };

export type ValueParser<T> = (raw: string) => ParsedValue<T>;

const DECIMAL = /^[+-]?[0-9]+$/;

export const parseBooleanValue: ValueParser<boolean> = (raw) => {
  const value = javaTrim(raw).toLowerCase();
  if (value === "true") return { ok: true, value: true };
  if (value === "false") return { ok: true, value: false };
  return { ok: false, reason: `expected true or false, got ${JSON.stringify(raw)}` };
};

/** Java `Integer.parseInt`, optionally bounded below (e.g. `tasks.max` >= 1). */
export function intParser(min = -2147483648): ValueParser<number> {
  return (raw) => {
    const text = javaTrim(raw);
    const value = DECIMAL.test(text) ? Number(text) : Number.NaN;
    if (!Number.isInteger(value) || value < -2147483648 || value > 2147483647) {
      return { ok: false, reason: `expected a 32-bit integer, got ${JSON.stringify(raw)}` };
    }
    if (value < min) return { ok: false, reason: `must be at least ${min}, got ${value}` };
    return { ok: true, value };
  };
}

/** Java `Long.parseLong`, limited to safe integers (larger values are rejected, not rounded). */
export const parseLongValue: ValueParser<number> = (raw) => {
  const text = javaTrim(raw);
  const value = DECIMAL.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value)) {
    return { ok: false, reason: `expected an integer within ±(2^53 - 1), got ${JSON.stringify(raw)}` };
  }
  return { ok: true, value };
};

export const parseStringValue: ValueParser<string> = (raw) => ({ ok: true, value: javaTrim(raw) });

export const parseListValue: ValueParser<string[]> = (raw) => ({ ok: true, value: parseConfigList(raw) });

/** A STRING restricted to some values (`ConfigDef.ValidString`), compared exactly. */
export function oneOfParser<T extends string>(allowed: readonly T[]): ValueParser<T> {
  return (raw) => {
    const value = javaTrim(raw);
    return (allowed as readonly string[]).includes(value)
      ? { ok: true, value: value as T }
      : { ok: false, reason: `expected one of ${allowed.join(", ")}, got ${JSON.stringify(raw)}` };
  };
}
