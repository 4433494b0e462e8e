import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { generateApiToken, hashApiToken, looksLikeApiToken } from "./api-token.ts";
import { hashPassword, verifyPassword } from "./password-hash.ts";
import { createSecretBox } from "./secret-box.ts";
import { SecurityError } from "./security-error.ts";

const key = randomBytes(32).toString("base64");

describe("SecretBox (AES-256-GCM)", () => {
  it("round-trips, with a fresh IV each time, and never contains the plaintext", () => {
    const box = createSecretBox(key);
    const a = box.seal("s3cret-pässword", "cluster:1:sasl");
    const b = box.seal("s3cret-pässword", "cluster:1:sasl");
    expect(a).not.toBe(b);
    expect(a).not.toContain("s3cret");
    expect(box.open(a, "cluster:1:sasl")).toBe("s3cret-pässword");
  });

  it("refuses an altered value, another context and another key, without saying more", () => {
    const box = createSecretBox(key);
    const sealed = box.seal("secret", "cluster:1:sasl");
    const [v, iv, tag, ct] = sealed.split(".") as [string, string, string, string];
    const flipped = Buffer.from(ct, "base64url");
    flipped[0] = flipped[0]! ^ 1;
    const attempts = [
      () => box.open([v, iv, tag, flipped.toString("base64url")].join("."), "cluster:1:sasl"),
      () => box.open(sealed, "cluster:2:sasl"),
      () => createSecretBox(randomBytes(32).toString("base64")).open(sealed, "cluster:1:sasl"),
      () => box.open("garbage", "cluster:1:sasl"),
    ];
    for (const attempt of attempts) {
      expect(attempt).toThrow(SecurityError);
      expect(attempt).toThrow(/cannot be decrypted/);
    }
  });

  it("rejects a key that is not 32 base64 bytes", () => {
    expect(() => createSecretBox("short")).toThrow(/32 bytes/);
    expect(() => createSecretBox(randomBytes(16).toString("base64"))).toThrow(/32 bytes/);
  });
});

describe("password hashing (scrypt)", () => {
  it("verifies the right password only, with a per-hash salt", async () => {
    const hash = await hashPassword("correct horse battery staple");
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(await hashPassword("correct horse battery staple")).not.toBe(hash);
    expect(await verifyPassword("correct horse battery staple", hash)).toBe(true);
    expect(await verifyPassword("correct horse battery stapl", hash)).toBe(false);
  });

  it("says so when a stored hash is unreadable", async () => {
    await expect(verifyPassword("x", "md5$abc")).rejects.toThrow(/not in a format/);
  });
});

describe("API tokens", () => {
  it("are random, recognisable, and stored only as a hash", () => {
    const a = generateApiToken();
    const b = generateApiToken();
    expect(a.token).not.toBe(b.token);
    expect(looksLikeApiToken(a.token)).toBe(true);
    expect(looksLikeApiToken("mdk_short")).toBe(false);
    expect(a.hash).toBe(hashApiToken(a.token));
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(a.hint.length).toBeLessThan(12);
  });
});
