import { createHash, randomBytes } from "node:crypto";

const PREFIX = "mdk_";

/**
 * API tokens: 256 random bits, shown once at creation. Only their SHA-256 is stored (a token is
 * random, so a fast hash is enough; no salt needed), looked up by that hash.
 */
export function generateApiToken(): { token: string; hash: string; hint: string } {
  const token = `${PREFIX}${randomBytes(32).toString("base64url")}`;
  return { token, hash: hashApiToken(token), hint: `${token.slice(0, PREFIX.length + 4)}…` };
}

export function hashApiToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** True when the string has an API token's shape (cheap check before a lookup). */
export function looksLikeApiToken(value: string): boolean {
  return /^mdk_[A-Za-z0-9_-]{43}$/.test(value);
}
