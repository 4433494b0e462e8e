import { AppError } from "@mirrordeck/contracts";
import { serverEnv } from "./env.ts";
import { redis } from "./redis.ts";

const WINDOW_SECONDS = 15 * 60;
const PREFIX = "mirrordeck:login-failures:";

// Without a trusted proxy the client's address is unknown (one shared key would let anyone lock
// everyone out), so only the account is counted.
function keys(address: string, email: string): string[] {
  const byAccount = `${PREFIX}email:${email}`;
  return address === "direct" ? [byAccount] : [`${PREFIX}ip:${address}`, byAccount];
}

/**
 * Who is signing in, by network address. The Next.js server appends the socket's peer address to
 * X-Forwarded-For, so the last entry cannot be forged; behind a trusted reverse proxy the entry
 * before it is the one that proxy appended (the real client). "direct" when there is none.
 */
export function clientAddress(request: Request): string {
  const entries = (request.headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0 && entry.length < 100);
  const peer = entries.at(-1);
  const client = serverEnv().MIRRORDECK_TRUST_PROXY ? (entries.at(-2) ?? peer) : peer;
  return client ?? "direct";
}

/**
 * Counts a sign-in attempt BEFORE the password is checked (so parallel guesses cannot slip past
 * the limit) and refuses it once an address or an account has made too many in the window.
 * A successful sign-in clears the account's count.
 */
export async function countLoginAttempt(address: string, email: string): Promise<void> {
  const limit = serverEnv().MIRRORDECK_LOGIN_ATTEMPTS;
  const counted = keys(address, email);
  const pipeline = redis().multi();
  for (const key of counted) {
    pipeline.incr(key);
    pipeline.expire(key, WINDOW_SECONDS, "NX");
  }
  const results = (await pipeline.exec()) ?? [];
  const counts = counted.map((_, i) => Number(results[i * 2]?.[1] ?? 0));
  if (counts.every((count) => count <= limit)) return;
  const ttls = await Promise.all(counted.map((key) => redis().ttl(key)));
  const ttl = Math.max(...ttls, 1);
  throw new AppError(
    "RATE_LIMITED",
    `Too many sign-in attempts; try again in ${Math.ceil(ttl / 60)} minute(s).`,
    {
      retryAfterSeconds: ttl,
    },
  );
}

/** After a successful sign-in: the account starts afresh, and the address's attempt is undone. */
export async function clearLoginFailures(address: string, email: string): Promise<void> {
  const pipeline = redis().multi().del(`${PREFIX}email:${email}`);
  if (address !== "direct") pipeline.decr(`${PREFIX}ip:${address}`);
  await pipeline.exec();
}
