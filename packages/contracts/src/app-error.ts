/** Stable error codes: clients may switch on them; messages are for people. */
export type ErrorCode =
  | "VALIDATION_FAILED"
  | "MALFORMED_JSON"
  | "UNSUPPORTED_MEDIA_TYPE"
  | "PAYLOAD_TOO_LARGE"
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "CSRF_FAILED"
  | "RATE_LIMITED"
  | "NOT_FOUND"
  | "CONFLICT"
  | "STALE_VERSION"
  | "IN_USE"
  | "FAILOVER_RUNNING"
  | "FAILOVER_NOT_READY"
  | "FAILOVER_NOT_CANCELLABLE"
  | "SECRET_KEY_MISSING"
  | "MM2_FILE_INVALID"
  | "MM2_FILE_UNREADABLE"
  | "MM2_FILE_TOO_LARGE"
  | "CLUSTER_UNREACHABLE"
  | "CLUSTER_AUTH_FAILED"
  | "DEPENDENCY_UNAVAILABLE"
  | "INTERNAL";

const STATUS: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  UNSUPPORTED_MEDIA_TYPE: 415,
  PAYLOAD_TOO_LARGE: 413,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  CSRF_FAILED: 403,
  RATE_LIMITED: 429,
  NOT_FOUND: 404,
  CONFLICT: 409,
  STALE_VERSION: 409,
  IN_USE: 409,
  FAILOVER_RUNNING: 409,
  FAILOVER_NOT_READY: 409,
  FAILOVER_NOT_CANCELLABLE: 409,
  SECRET_KEY_MISSING: 503,
  MM2_FILE_INVALID: 400,
  MM2_FILE_UNREADABLE: 400,
  MM2_FILE_TOO_LARGE: 413,
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
