// @mirrordeck/security: secrets at rest, password hashing, API tokens. Node's crypto only.
export { generateApiToken, hashApiToken, looksLikeApiToken } from "./api-token.ts";
export { hashPassword, verifyPassword } from "./password-hash.ts";
export { createSecretBox, type SecretBox } from "./secret-box.ts";
export { SecurityError, type SecurityErrorCode } from "./security-error.ts";
export { generateSessionId, hashSessionId } from "./session-id.ts";
