/** Stable error codes: clients may switch on them; messages are for people. */
export type ErrorCode =
  | "VALIDATION_FAILED"
  | "NOT_FOUND"
  | "CONFLICT"
  | "CLUSTER_UNREACHABLE"
  | "CLUSTER_AUTH_FAILED"
  | "DEPENDENCY_UNAVAILABLE"
  | "INTERNAL";

const STATUS: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  CLUSTER_UNREACHABLE: 502,
  CLUSTER_AUTH_FAILED: 502,
  DEPENDENCY_UNAVAILABLE: 503,
  INTERNAL: 500,
};

/** An error meant for an operator: a stable code, an HTTP status, a human message, optional details. */
export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "AppError";
    this.status = STATUS[code];
  }

  toJSON(): { error: { code: ErrorCode; message: string; details: Record<string, unknown> } } {
    return { error: { code: this.code, message: this.message, details: this.details } };
  }
}
