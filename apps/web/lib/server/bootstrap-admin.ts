import { randomBytes } from "node:crypto";
import { countUsers, createUser } from "@mirrordeck/db";
import { hashPassword } from "@mirrordeck/security";
import { database } from "./database.ts";
import { serverEnv } from "./env.ts";
import { logEvent } from "./http/request-log.ts";

const DEFAULT_ADMIN_EMAIL = "admin@mirrordeck.local";

/**
 * First start: creates the admin account, from MIRRORDECK_ADMIN_EMAIL/PASSWORD or with a
 * one-time password printed once to the log. Does nothing once any user exists.
 */
export async function ensureBootstrapAdmin(): Promise<void> {
  const db = database();
  if ((await countUsers(db)) > 0) return;
  const env = serverEnv();
  const email = env.MIRRORDECK_ADMIN_EMAIL ?? DEFAULT_ADMIN_EMAIL;
  const generated = env.MIRRORDECK_ADMIN_PASSWORD === undefined;
  const password = env.MIRRORDECK_ADMIN_PASSWORD ?? randomBytes(18).toString("base64url");
  try {
    await createUser(db, { email, passwordHash: await hashPassword(password), role: "ADMIN" });
  } catch (error) {
    // Another web process created it first.
    if ((error as { code?: string }).code === "P2002") return;
    throw error;
  }
  if (generated) {
    // Printed once, on purpose: nobody else knows it. Change it after signing in.
    console.log(
      `\nMirrorDeck: created admin ${email} with one-time password ${password}\n(set MIRRORDECK_ADMIN_EMAIL and MIRRORDECK_ADMIN_PASSWORD to choose them)\n`,
    );
  } else {
    logEvent("info", { msg: "created admin from the environment", email });
  }
}
