import { createApiToken, listApiTokens } from "@mirrordeck/db";
import { database } from "@/lib/server/database.ts";
import { defineRoute } from "@/lib/server/http/define-route.ts";

export const dynamic = "force-dynamic";

export const GET = defineRoute("tokens.list", async () => {
  const tokens = await listApiTokens(database());
  return Response.json({
    items: tokens.map((t) => ({
      id: t.id,
      name: t.name,
      hint: t.hint,
      role: t.role,
      expiresAt: t.expiresAt?.toISOString() ?? null,
      lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
      revoked: t.revokedAt !== null,
      createdAt: t.createdAt.toISOString(),
    })),
  });
});

/** The token's value is in this response only; MirrorDeck keeps its hash. */
export const POST = defineRoute("tokens.create", async ({ body, principal, audit }) => {
  const { token, record } = await createApiToken(database(), {
    name: body.name,
    role: body.role,
    createdById: principal.kind === "user" ? principal.id : null,
    expiresAt:
      body.expiresInDays === undefined ? null : new Date(Date.now() + body.expiresInDays * 86_400_000),
  });
  audit.targetId = record.id;
  audit.details = { name: record.name, role: record.role, hint: record.hint };
  return Response.json(
    {
      id: record.id,
      name: record.name,
      role: record.role,
      hint: record.hint,
      expiresAt: record.expiresAt?.toISOString() ?? null,
      token,
    },
    { status: 201 },
  );
});
