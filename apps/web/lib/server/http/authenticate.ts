import { timingSafeEqual } from "node:crypto";
import { findApiTokenPrincipal, findSession, type Principal } from "@mirrordeck/db";
import { looksLikeApiToken } from "@mirrordeck/security";
import { database } from "../database.ts";
import { serverEnv } from "../env.ts";
import { readCookie, SESSION_COOKIE } from "./session-cookies.ts";

export type Authentication =
  | { via: "bearer"; principal: Principal }
  | { via: "cookie"; principal: Principal; sessionId: string; csrfToken: string };

const BOOTSTRAP_PRINCIPAL: Principal = {
  kind: "token",
  id: "bootstrap",
  label: "token:bootstrap",
  role: "ADMIN",
};

/** Who sent the request: a bearer token (API token or the bootstrap token) or a session cookie. */
export async function authenticate(request: Request): Promise<Authentication | null> {
  const authorization = request.headers.get("authorization");
  if (authorization !== null) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    if (match === null) return null;
    const principal = await tokenPrincipal(match[1] as string);
    return principal === null ? null : { via: "bearer", principal };
  }
  const sessionId = readCookie(request, SESSION_COOKIE);
  if (sessionId === null || sessionId.length > 200) return null;
  const session = await findSession(database(), sessionId);
  if (session === null) return null;
  return { via: "cookie", principal: session.principal, sessionId, csrfToken: session.csrfToken };
}

async function tokenPrincipal(token: string): Promise<Principal | null> {
  const bootstrap = serverEnv().MIRRORDECK_BOOTSTRAP_TOKEN;
  if (bootstrap !== undefined && constantTimeEquals(token, bootstrap)) return BOOTSTRAP_PRINCIPAL;
  if (!looksLikeApiToken(token)) return null;
  return findApiTokenPrincipal(database(), token);
}

export function constantTimeEquals(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
