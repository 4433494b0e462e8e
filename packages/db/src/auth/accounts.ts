import { generateApiToken, generateSessionId, hashApiToken, hashSessionId } from "@mirrordeck/security";
import type { Database } from "../client.ts";
import type { ApiToken, Role, User } from "../generated/prisma/client.ts";

export type { ApiToken, Role, User };

/** Who is making a request, as far as authorisation is concerned. */
export interface Principal {
  kind: "user" | "token";
  id: string;
  /** "user:<email>" or "token:<name>", as written to the audit log. */
  label: string;
  role: Role;
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function createUser(
  db: Database,
  user: { email: string; passwordHash: string; role: Role },
): Promise<User> {
  return db.user.create({ data: { ...user, email: normaliseEmail(user.email) } });
}

export function findUserByEmail(db: Database, email: string): Promise<User | null> {
  return db.user.findUnique({ where: { email: normaliseEmail(email) } });
}

export function countUsers(db: Database): Promise<number> {
  return db.user.count();
}

// ── Sessions ────────────────────────────────────────────────────────────────────────────────

/** Starts a session; the returned `sessionId` goes into the cookie and is not stored anywhere. */
export async function createSession(
  db: Database,
  userId: string,
  ttlMs: number,
): Promise<{ sessionId: string; csrfToken: string; expiresAt: Date }> {
  const { sessionId, idHash, csrfToken } = generateSessionId();
  const expiresAt = new Date(Date.now() + ttlMs);
  await db.session.create({ data: { idHash, userId, csrfToken, expiresAt } });
  await db.user.update({ where: { id: userId }, data: { lastLoginAt: new Date() } });
  return { sessionId, csrfToken, expiresAt };
}

/** The session's user and CSRF token, or null when unknown, expired, or the user is disabled. */
export async function findSession(
  db: Database,
  sessionId: string,
): Promise<{ principal: Principal; csrfToken: string; expiresAt: Date } | null> {
  const session = await db.session.findUnique({
    where: { idHash: hashSessionId(sessionId) },
    include: { user: true },
  });
  if (session === null || session.expiresAt.getTime() <= Date.now() || session.user.disabledAt !== null) {
    return null;
  }
  return {
    principal: {
      kind: "user",
      id: session.user.id,
      label: `user:${session.user.email}`,
      role: session.user.role,
    },
    csrfToken: session.csrfToken,
    expiresAt: session.expiresAt,
  };
}

export async function deleteSession(db: Database, sessionId: string): Promise<void> {
  await db.session.deleteMany({ where: { idHash: hashSessionId(sessionId) } });
}

export async function pruneExpiredSessions(db: Database): Promise<number> {
  return (await db.session.deleteMany({ where: { expiresAt: { lte: new Date() } } })).count;
}

// ── API tokens ──────────────────────────────────────────────────────────────────────────────

/** Creates a token; the clear `token` is returned this once and never again. */
export async function createApiToken(
  db: Database,
  input: { name: string; role: Role; createdById: string | null; expiresAt?: Date | null },
): Promise<{ token: string; record: ApiToken }> {
  const { token, hash, hint } = generateApiToken();
  const record = await db.apiToken.create({
    data: {
      name: input.name,
      role: input.role,
      createdById: input.createdById,
      expiresAt: input.expiresAt ?? null,
      tokenHash: hash,
      hint,
    },
  });
  return { token, record };
}

/** The token's principal, or null when unknown, revoked or expired. Records its use. */
export async function findApiTokenPrincipal(db: Database, token: string): Promise<Principal | null> {
  const record = await db.apiToken.findUnique({ where: { tokenHash: hashApiToken(token) } });
  if (record === null || record.revokedAt !== null) return null;
  if (record.expiresAt !== null && record.expiresAt.getTime() <= Date.now()) return null;
  await db.apiToken.update({ where: { id: record.id }, data: { lastUsedAt: new Date() } });
  return { kind: "token", id: record.id, label: `token:${record.name}`, role: record.role };
}

export async function revokeApiToken(db: Database, id: string): Promise<boolean> {
  const result = await db.apiToken.updateMany({
    where: { id, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  return result.count > 0;
}

// ── Roles ───────────────────────────────────────────────────────────────────────────────────

const RANK: Record<Role, number> = { VIEWER: 0, OPERATOR: 1, ADMIN: 2 };

/** viewer < operator < admin: true when `role` may do what `required` may. */
export function roleAllows(role: Role, required: Role): boolean {
  return RANK[role] >= RANK[required];
}

// ── Administration ──────────────────────────────────────────────────────────────────────────

export function listUsers(db: Database): Promise<User[]> {
  return db.user.findMany({ orderBy: { email: "asc" } });
}

export type UserUpdate = { ok: true; user: User } | { ok: false; reason: "not-found" | "last-admin" };

/**
 * Changes a user. Disabling or a new password ends their sessions; disabling revokes the API
 * tokens they created, and a demotion revokes those above their new role. The last enabled
 * admin can be neither disabled nor demoted.
 */
export async function updateUser(
  db: Database,
  id: string,
  changes: { role?: Role; passwordHash?: string; disabled?: boolean },
): Promise<UserUpdate> {
  return db.$transaction(async (tx) => {
    // Serialises admin changes, so two admins cannot demote each other at once.
    await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtext('mirrordeck:admins'))::text`;
    const existing = await tx.user.findUnique({ where: { id } });
    if (existing === null) return { ok: false, reason: "not-found" };
    const losesAdmin =
      existing.role === "ADMIN" &&
      existing.disabledAt === null &&
      (changes.disabled === true || (changes.role !== undefined && changes.role !== "ADMIN"));
    if (losesAdmin) {
      const admins = await tx.user.count({ where: { role: "ADMIN", disabledAt: null } });
      if (admins <= 1) return { ok: false, reason: "last-admin" };
    }
    const user = await tx.user.update({
      where: { id },
      data: {
        ...(changes.role !== undefined && { role: changes.role }),
        ...(changes.passwordHash !== undefined && { passwordHash: changes.passwordHash }),
        ...(changes.disabled !== undefined && { disabledAt: changes.disabled ? new Date() : null }),
      },
    });
    if (changes.disabled === true || changes.passwordHash !== undefined) {
      await tx.session.deleteMany({ where: { userId: id } });
    }
    const revokeRoles: Role[] =
      changes.disabled === true
        ? ["VIEWER", "OPERATOR", "ADMIN"]
        : (["VIEWER", "OPERATOR", "ADMIN"] as Role[]).filter((r) => !roleAllows(user.role, r));
    if (revokeRoles.length > 0) {
      await tx.apiToken.updateMany({
        where: { createdById: id, revokedAt: null, role: { in: revokeRoles } },
        data: { revokedAt: new Date() },
      });
    }
    return { ok: true, user };
  });
}

export function listApiTokens(db: Database): Promise<ApiToken[]> {
  return db.apiToken.findMany({ orderBy: { createdAt: "desc" } });
}
