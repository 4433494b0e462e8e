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

/** The client's address as a trusted proxy reports it, or "direct". */
export function clientAddress(request: Request): string {
  if (!serverEnv().MIRRORDECK_TRUST_PROXY) return "direct";
  // The entry our proxy appended (the last): the ones before it are whatever the client sent.
  const forwarded = request.headers.get("x-forwarded-for")?.split(",").at(-1)?.trim();
  return forwarded !== undefined && forwarded.length > 0 && forwarded.length < 100 ? forwarded : "direct";
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

export async function clearLoginFailures(email: string): Promise<void> {
  await redis().del(`${PREFIX}email:${email}`);
}
