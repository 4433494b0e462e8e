import { createHash, randomBytes } from "node:crypto";

/**
 * Browser sessions: the cookie carries 256 random bits; the database keeps only their SHA-256,
 * so a leaked table cannot be replayed as cookies. Each session also gets a CSRF token.
 */
export function generateSessionId(): { sessionId: string; idHash: string; csrfToken: string } {
  const sessionId = randomBytes(32).toString("base64url");
  return { sessionId, idHash: hashSessionId(sessionId), csrfToken: randomBytes(24).toString("base64url") };
}

export function hashSessionId(sessionId: string): string {
  return createHash("sha256").update(sessionId, "utf8").digest("hex");
}
