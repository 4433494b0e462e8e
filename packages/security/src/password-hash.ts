import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from "node:crypto";
import { SecurityError } from "./security-error.ts";

/**
 * Passwords are hashed with scrypt, a memory-hard KDF built into Node (no native addon to build):
 * N = 2^15, r = 8, p = 1 uses 32 MiB and ~50-100 ms per hash on this machine kind, OWASP's
 * minimum for scrypt. Stored form: `scrypt$<N>$<r>$<p>$<salt>$<hash>` (base64url), so the
 * parameters can be raised later without invalidating existing hashes.
 */
const DEFAULTS = { N: 2 ** 15, r: 8, p: 1 } as const;
const SALT_BYTES = 16;
const HASH_BYTES = 32;

function derive(
  password: string,
  salt: Buffer,
  params: { N: number; r: number; p: number },
): Promise<Buffer> {
  const options: ScryptOptions = { ...params, maxmem: 128 * params.N * params.r * 2 };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize("NFKC"), salt, HASH_BYTES, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const hash = await derive(password, salt, DEFAULTS);
  return [
    "scrypt",
    DEFAULTS.N,
    DEFAULTS.r,
    DEFAULTS.p,
    salt.toString("base64url"),
    hash.toString("base64url"),
  ].join("$");
}

/** Constant-time check of a password against a stored hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split("$");
  const [scheme, n, r, p, salt, hash] = parts;
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  if (
    parts.length !== 6 ||
    scheme !== "scrypt" ||
    !Object.values(params).every((v) => Number.isSafeInteger(v) && v > 0) ||
    params.N > 2 ** 20 ||
    salt === undefined ||
    hash === undefined
  ) {
    throw new SecurityError(
      "PASSWORD_HASH_INVALID",
      "A stored password hash is not in a format this version reads.",
    );
  }
  const expected = Buffer.from(hash, "base64url");
  const actual = await derive(password, Buffer.from(salt, "base64url"), params);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
