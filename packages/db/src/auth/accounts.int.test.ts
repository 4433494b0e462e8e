import { hashPassword, verifyPassword } from "@mirrordeck/security";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type FlowFixture,
  migratedDatabaseWithClusters,
} from "../../../../scripts/test-support/flow-fixtures.ts";
import type { Database } from "../client.ts";
import {
  countUsers,
  createApiToken,
  createSession,
  createUser,
  deleteSession,
  findApiTokenPrincipal,
  findSession,
  findUserByEmail,
  pruneExpiredSessions,
  revokeApiToken,
  roleAllows,
} from "./accounts.ts";
import { listAudit, recordAudit } from "./audit-log.ts";

let fixture: FlowFixture;
let db: Database;

beforeAll(async () => {
  fixture = await migratedDatabaseWithClusters();
  db = fixture.db;
});
afterAll(async () => {
  await fixture?.cleanup();
});

describe("accounts, sessions, tokens and audit (Postgres)", () => {
  it("stores users by lower-cased email with a scrypt hash, never the password", async () => {
    const passwordHash = await hashPassword("a long passphrase");
    const user = await createUser(db, { email: " Admin@Example.COM ", passwordHash, role: "ADMIN" });
    expect(user.email).toBe("admin@example.com");
    expect(await countUsers(db)).toBe(1);
    const found = await findUserByEmail(db, "ADMIN@example.com");
    expect(found?.id).toBe(user.id);
    expect(JSON.stringify(found)).not.toContain("a long passphrase");
    expect(await verifyPassword("a long passphrase", found!.passwordHash)).toBe(true);
    await expect(
      createUser(db, { email: "admin@example.com", passwordHash, role: "VIEWER" }),
    ).rejects.toThrow();
  });

  it("keeps only a hash of the session id; expired sessions and disabled users do not authenticate", async () => {
    const user = await createUser(db, { email: "op@example.com", passwordHash: "x", role: "OPERATOR" });
    const { sessionId, csrfToken } = await createSession(db, user.id, 60_000);
    const rows = await db.session.findMany({ where: { userId: user.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.idHash).not.toContain(sessionId);
    const found = await findSession(db, sessionId);
    expect(found).toMatchObject({
      csrfToken,
      principal: { kind: "user", label: "user:op@example.com", role: "OPERATOR" },
    });
    expect(await findSession(db, `${sessionId}x`)).toBeNull();

    const short = await createSession(db, user.id, -1);
    expect(await findSession(db, short.sessionId)).toBeNull();
    expect(await pruneExpiredSessions(db)).toBe(1);

    await db.user.update({ where: { id: user.id }, data: { disabledAt: new Date() } });
    expect(await findSession(db, sessionId)).toBeNull();
    await deleteSession(db, sessionId);
    expect(await db.session.count({ where: { userId: user.id } })).toBe(0);
  });

  it("shows a token once, stores its hash, and refuses it once revoked or expired", async () => {
    const { token, record } = await createApiToken(db, { name: "ci", role: "OPERATOR", createdById: null });
    expect(record.tokenHash).not.toContain(token);
    expect(token.startsWith(record.hint.replace("…", ""))).toBe(true);
    expect(await findApiTokenPrincipal(db, token)).toMatchObject({
      kind: "token",
      label: "token:ci",
      role: "OPERATOR",
    });
    expect((await db.apiToken.findUnique({ where: { id: record.id } }))?.lastUsedAt).not.toBeNull();
    expect(await revokeApiToken(db, record.id)).toBe(true);
    expect(await findApiTokenPrincipal(db, token)).toBeNull();
    expect(await revokeApiToken(db, record.id)).toBe(false);

    const expired = await createApiToken(db, {
      name: "old",
      role: "ADMIN",
      createdById: null,
      expiresAt: new Date(Date.now() - 1_000),
    });
    expect(await findApiTokenPrincipal(db, expired.token)).toBeNull();
  });

  it("orders roles viewer < operator < admin", () => {
    expect(roleAllows("ADMIN", "OPERATOR")).toBe(true);
    expect(roleAllows("OPERATOR", "OPERATOR")).toBe(true);
    expect(roleAllows("VIEWER", "OPERATOR")).toBe(false);
    expect(roleAllows("OPERATOR", "ADMIN")).toBe(false);
  });

  it("appends audit entries and pages them newest first", async () => {
    for (let i = 0; i < 5; i++) {
      await recordAudit(db, {
        actor: "user:admin@example.com",
        action: "cluster.update",
        targetType: "cluster",
        targetId: `c${i}`,
        requestId: `r${i}`,
        outcome: i === 4 ? "CONFLICT" : "ok",
        details: { field: "bootstrapServers" },
      });
    }
    const first = await listAudit(db, { limit: 3 });
    expect(first.map((e) => e.targetId)).toEqual(["c4", "c3", "c2"]);
    expect(first[0]!.outcome).toBe("CONFLICT");
    const next = await listAudit(db, { limit: 3, beforeId: first.at(-1)!.id });
    expect(next.map((e) => e.targetId)).toEqual(["c1", "c0"]);
  });
});
