import { AppError } from "@mirrordeck/contracts";
import { createSession, findUserByEmail, normaliseEmail } from "@mirrordeck/db";
import { hashPassword, verifyPassword } from "@mirrordeck/security";
import { ensureBootstrapAdmin } from "@/lib/server/bootstrap-admin.ts";
import { database } from "@/lib/server/database.ts";
import { serverEnv } from "@/lib/server/env.ts";
import { defineRoute } from "@/lib/server/http/define-route.ts";
import { sessionCookies } from "@/lib/server/http/session-cookies.ts";
import { clearLoginFailures, clientAddress, countLoginAttempt } from "@/lib/server/login-rate-limit.ts";

export const dynamic = "force-dynamic";

// Verified against when the account does not exist, so both cases take as long.
let dummyHash: Promise<string> | undefined;

export const POST = defineRoute("auth.login", async ({ request, body, audit }) => {
  const email = normaliseEmail(body.email);
  const address = clientAddress(request);
  audit.actor = `user:${email}`;
  await countLoginAttempt(address, email);
  let user = await findUserByEmail(database(), email);
  if (user === null) {
    // A database created after this process started (or restored empty) still gets its admin.
    await ensureBootstrapAdmin();
    user = await findUserByEmail(database(), email);
  }
  dummyHash ??= hashPassword("not-a-real-password");
  const valid = await verifyPassword(body.password, user?.passwordHash ?? (await dummyHash));
  if (user === null || !valid || user.disabledAt !== null) {
    throw new AppError("UNAUTHENTICATED", "Wrong e-mail or password.");
  }
  await clearLoginFailures(address, email);
  const session = await createSession(
    database(),
    user.id,
    serverEnv().MIRRORDECK_SESSION_TTL_HOURS * 3_600_000,
  );
  audit.targetId = user.id;
  const response = Response.json({
    user: { id: user.id, email: user.email, role: user.role },
    csrfToken: session.csrfToken,
    expiresAt: session.expiresAt.toISOString(),
  });
  for (const cookie of sessionCookies(request, session)) response.headers.append("set-cookie", cookie);
  return response;
});
