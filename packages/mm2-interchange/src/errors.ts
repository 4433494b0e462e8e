/** Codes of {@link Mm2InterchangeError}: stable, for programs (the message is for people). */
export type Mm2InterchangeErrorCode =
  /** Not text: NUL bytes, invalid UTF-8, or mostly control characters. */
  | "MM2_FILE_UNREADABLE"
  /** Over `MAX_PROPERTIES_BYTES` (1 MiB). */
  | "MM2_FILE_TOO_LARGE"
  /** Text, but not an mm2.properties file that can be imported (no clusters, a malformed escape). */
  | "MM2_FILE_INVALID"
  /** The topology given to the exporter cannot be written as one mm2.properties file. */
  | "MM2_EXPORT_INVALID";

/** The only error `planMm2Import` and `exportMm2Properties` throw on purpose. */
export class Mm2InterchangeError extends Error {
  readonly code: Mm2InterchangeErrorCode;

  constructor(code: Mm2InterchangeErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "Mm2InterchangeError";
    this.code = code;
  }
}
