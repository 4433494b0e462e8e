import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { SecurityError } from "./security-error.ts";

const VERSION = "v1";
const IV_BYTES = 12;
const KEY_BYTES = 32;

/**
 * Encrypts secrets at rest (cluster passwords, private keys) with AES-256-GCM under one key from
 * the environment. Each value gets a random 96-bit IV; the `context` (e.g. "cluster:<id>:sasl")
 * is authenticated with it, so a ciphertext copied into another row or field does not open.
 * Sealed form: `v1.<iv>.<tag>.<ciphertext>`, base64url parts.
 */
export interface SecretBox {
  seal(plaintext: string, context: string): string;
  /** @throws SecurityError SECRET_UNREADABLE when the value was altered, or sealed under another key or context. */
  open(sealed: string, context: string): string;
}

/** @param keyBase64 32 random bytes, base64 (`openssl rand -base64 32`). */
export function createSecretBox(keyBase64: string): SecretBox {
  const key = Buffer.from(keyBase64, "base64");
  if (key.length !== KEY_BYTES || key.toString("base64") !== keyBase64.trim()) {
    throw new SecurityError(
      "SECRET_KEY_INVALID",
      `The secret key must be ${KEY_BYTES} bytes, base64-encoded (generate one with: openssl rand -base64 32).`,
    );
  }
  return {
    seal(plaintext, context) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      cipher.setAAD(Buffer.from(context, "utf8"));
      const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [VERSION, iv, tag, ciphertext]
        .map((p) => (typeof p === "string" ? p : p.toString("base64url")))
        .join(".");
    },
    open(sealed, context) {
      const parts = sealed.split(".");
      if (parts.length !== 4 || parts[0] !== VERSION) throw unreadable();
      const [iv, tag, ciphertext] = parts.slice(1).map((p) => Buffer.from(p, "base64url")) as [
        Buffer,
        Buffer,
        Buffer,
      ];
      if (iv.length !== IV_BYTES || tag.length !== 16) throw unreadable();
      try {
        const decipher = createDecipheriv("aes-256-gcm", key, iv);
        decipher.setAAD(Buffer.from(context, "utf8"));
        decipher.setAuthTag(tag);
        return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString("utf8");
      } catch {
        throw unreadable();
      }
    },
  };
}

function unreadable(): SecurityError {
  return new SecurityError(
    "SECRET_UNREADABLE",
    "A stored secret cannot be decrypted: it was altered, or sealed under another key (check MIRRORDECK_SECRET_KEY).",
  );
}
