/** Why a security primitive refused: stable codes, messages that never contain a secret. */
export type SecurityErrorCode = "SECRET_KEY_INVALID" | "SECRET_UNREADABLE" | "PASSWORD_HASH_INVALID";

export class SecurityError extends Error {
  constructor(
    readonly code: SecurityErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "SecurityError";
  }
}
