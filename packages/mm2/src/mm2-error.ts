/**
 * Base class of every error this package throws on purpose: a stable `code` for
 * programs, a human `message` for operators, optional `details` for logs.
 */
export class Mm2Error extends Error {
  readonly code: string;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
  }
}

/** Codes of {@link Mm2FormatError}, one per way a record or file can be malformed. */
export type Mm2FormatErrorCode =
  | "MM2_TRUNCATED_RECORD"
  | "MM2_MISSING_KEY"
  | "MM2_MISSING_VALUE"
  | "MM2_NEGATIVE_STRING_LENGTH"
  | "MM2_STRING_TOO_LONG"
  | "MM2_INVALID_STRING"
  | "MM2_INT64_OUT_OF_RANGE"
  | "MM2_VALUE_OUT_OF_RANGE"
  | "MM2_UNSUPPORTED_VERSION"
  | "MM2_PROPERTIES_TOO_LARGE"
  | "MM2_PROPERTIES_BINARY"
  | "MM2_PROPERTIES_INVALID_UTF8"
  | "MM2_PROPERTIES_MALFORMED_ESCAPE";

/**
 * Bytes or text that do not follow MM2's formats (Kafka's `SchemaException` in Java):
 * internal-topic records, `mm2.properties` files, or values that cannot be encoded.
 */
export class Mm2FormatError extends Mm2Error {
  declare readonly code: Mm2FormatErrorCode;

  constructor(code: Mm2FormatErrorCode, message: string, details?: Record<string, unknown>) {
    super(code, message, details);
  }
}

/** A topic/group/config-property regex that cannot be compiled (MM2 would fail on `Pattern.compile`). */
export class InvalidPatternError extends Mm2Error {
  declare readonly code: "INVALID_PATTERN";
  /** The offending pattern as written by the user (one list entry when it can be isolated). */
  readonly pattern: string;
  /** Why it was rejected, e.g. "missing closing )" or "lookahead is not supported". */
  readonly reason: string;

  constructor(pattern: string, reason: string) {
    super("INVALID_PATTERN", `Invalid pattern ${JSON.stringify(pattern)}: ${reason}`, { pattern, reason });
    this.pattern = pattern;
    this.reason = reason;
  }
}

/** Codes of {@link Mm2ArgumentError}. */
export type Mm2ArgumentErrorCode = "INVALID_ARGUMENT" | "UNSUPPORTED_REPLICATION_POLICY";

/** A caller passed a value MM2 would reject at configuration time (e.g. an empty separator). */
export class Mm2ArgumentError extends Mm2Error {
  declare readonly code: Mm2ArgumentErrorCode;

  constructor(code: Mm2ArgumentErrorCode, message: string, details?: Record<string, unknown>) {
    super(code, message, details);
  }
}
