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
  const forwarded = request.headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return forwarded !== undefined && forwarded.length > 0 && forwarded.length < 100 ? forwarded : "direct";
}

/** Refuses a sign-in once an address or an account has failed too often in the window. */
export async function assertLoginAllowed(address: string, email: string): Promise<void> {
  const limit = serverEnv().MIRRORDECK_LOGIN_ATTEMPTS;
  const client = redis();
  const counted = keys(address, email);
  const counts = await client.mget(...counted);
  if (counts.every((count) => Number(count ?? 0) < limit)) return;
  const ttls = await Promise.all(counted.map((key) => client.ttl(key)));
  const ttl = Math.max(...ttls, 1);
  throw new AppError(
    "RATE_LIMITED",
    `Too many failed sign-ins; try again in ${Math.ceil(ttl / 60)} minute(s).`,
    {
      retryAfterSeconds: ttl,
    },
  );
}

export async function recordLoginFailure(address: string, email: string): Promise<void> {
  const pipeline = redis().multi();
  for (const key of keys(address, email)) {
    pipeline.incr(key);
    pipeline.expire(key, WINDOW_SECONDS, "NX");
  }
  await pipeline.exec();
}

export async function clearLoginFailures(email: string): Promise<void> {
  await redis().del(`${PREFIX}email:${email}`);
}
