// Key rotation against a real database: raw rows before and after, all-or-nothing on a secret that
// opens under neither key, idempotent re-runs, and the operator command itself.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { createSecretBox, type SecretBox } from "@mirrordeck/security";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrationsDir, repoRoot } from "../../../../scripts/db/paths.ts";
import { createScratchDatabase } from "../../../../scripts/test-support/scratch-database.ts";
import { createDatabase, type Database } from "../client.ts";
import { applyMigrations } from "../migrations/index.ts";
import {
  createWebhook,
  isClearUrl,
  openWebhook,
  sealClearWebhookUrls,
  webhookUrlContext,
} from "./alert-store.ts";
import { upsertCluster } from "./cluster-repository.ts";
import { clientKeyContext, saslPasswordContext } from "./cluster-secrets.ts";
import { rotateSecretKey, SecretKeyRotationError } from "./rotate-secret-key.ts";

const newKey = () => randomBytes(32).toString("base64");
const keys = { a: newKey(), b: newKey(), c: newKey(), d: newKey() };
const boxes = Object.fromEntries(Object.entries(keys).map(([k, v]) => [k, createSecretBox(v)])) as Record<
  keyof typeof keys,
  SecretBox
>;
const PASSWORD = "scram-password-that-must-never-show";
const PRIVATE_KEY = "-----BEGIN PRIVATE KEY-----\nMIIEvQ-not-a-real-key\n-----END PRIVATE KEY-----";
// A webhook URL's path is its credential (Slack's T…/B…/token).
const HOOK_URL = "https://hooks.example.com/services/T000/B000/webhook-token-never-shown";
const OLD_HOOK_URL = "https://hooks.example.com/services/T111/B111/stored-before-sealing";

let scratch: Awaited<ReturnType<typeof createScratchDatabase>>;
let db: Database;

interface RawRow {
  alias: string;
  id: string;
  sasl_password_sealed: string | null;
  client_key_sealed: string | null;
}
const rawRows = () =>
  db.$queryRaw<
    RawRow[]
  >`SELECT "alias", "id", "sasl_password_sealed", "client_key_sealed" FROM "cluster" ORDER BY "alias"`;
const rawHooks = () =>
  db.$queryRaw<
    { id: string; name: string; url_sealed: string; origin: string }[]
  >`SELECT "id", "name", "url_sealed", "origin" FROM "webhook" ORDER BY "name"`;

async function clusterWithSecrets(alias: string, box: SecretBox, withKey: boolean): Promise<void> {
  const { id } = await upsertCluster(db, { alias, bootstrapServers: "127.0.0.1:9092" });
  await db.cluster.update({
    where: { id },
    data: {
      securityProtocol: "SASL_SSL",
      saslMechanism: "SCRAM_SHA_512",
      saslUsername: "mirrordeck",
      saslPasswordSealed: box.seal(PASSWORD, saslPasswordContext(id)),
      clientKeySealed: withKey ? box.seal(PRIVATE_KEY, clientKeyContext(id)) : null,
    },
  });
}

function opensUnder(box: SecretBox, row: RawRow): boolean {
  try {
    if (row.sasl_password_sealed)
      expect(box.open(row.sasl_password_sealed, saslPasswordContext(row.id))).toBe(PASSWORD);
    if (row.client_key_sealed)
      expect(box.open(row.client_key_sealed, clientKeyContext(row.id))).toBe(PRIVATE_KEY);
    return true;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  scratch = await createScratchDatabase("md_rotate");
  await applyMigrations(scratch.url, migrationsDir);
  db = createDatabase(scratch.url, { maxConnections: 2 });
  await clusterWithSecrets("alpha", boxes.a, true);
  await clusterWithSecrets("bravo", boxes.a, false);
  await upsertCluster(db, { alias: "plain", bootstrapServers: "127.0.0.1:9092" });
  await createWebhook(db, { name: "pager", url: HOOK_URL, format: "SLACK", enabled: true }, boxes.a);
  // As the migration that sealed webhook URLs left a row written before it: the URL in clear.
  await db.$executeRaw`INSERT INTO "webhook" ("id", "name", "url_sealed", "origin")
    VALUES (gen_random_uuid(), 'legacy', ${OLD_HOOK_URL}, 'https://hooks.example.com')`;
});

afterAll(async () => {
  await db?.$disconnect();
  await scratch?.drop();
});

describe("secret key rotation", () => {
  it("seals every secret again under the new key; the raw rows never hold a secret in clear", async () => {
    const before = await rawRows();
    for (const row of before) {
      expect(JSON.stringify(row)).not.toContain(PASSWORD);
      expect(JSON.stringify(row)).not.toContain("MIIEvQ");
    }
    const progress: string[] = [];
    const report = await rotateSecretKey(db, boxes.a, boxes.b, (owner, n) => progress.push(`${owner}:${n}`));
    expect(report).toEqual({ clusters: 2, webhooks: 2, resealed: 5, alreadyNew: 0 });
    expect(progress).toEqual(["cluster alpha:2", "cluster bravo:1", "webhook legacy:1", "webhook pager:1"]);
    // Both URLs sealed under the new key, the one stored in clear included; only origins in clear.
    for (const hook of await rawHooks()) {
      expect(hook.origin).toBe("https://hooks.example.com");
      expect(hook.url_sealed).not.toContain("hooks.example.com");
      expect(boxes.b.open(hook.url_sealed, webhookUrlContext(hook.id))).toBe(
        hook.name === "pager" ? HOOK_URL : OLD_HOOK_URL,
      );
    }
    const after = await rawRows();
    for (const [i, row] of after.entries()) {
      if (row.alias === "plain") continue;
      expect(row.sasl_password_sealed).not.toBe(before[i]!.sasl_password_sealed);
      expect(opensUnder(boxes.b, row)).toBe(true);
      expect(opensUnder(boxes.a, row)).toBe(false);
      expect(JSON.stringify(row)).not.toContain(PASSWORD);
    }
    // Run again: nothing to do, nothing changed.
    const hooks = await rawHooks();
    expect(await rotateSecretKey(db, boxes.a, boxes.b)).toEqual({
      clusters: 2,
      webhooks: 2,
      resealed: 0,
      alreadyNew: 5,
    });
    expect(await rawRows()).toEqual(after);
    expect(await rawHooks()).toEqual(hooks);
  });

  it("changes nothing when one secret opens under neither key, and names its cluster", async () => {
    await clusterWithSecrets("charlie", boxes.c, false);
    const before = await rawRows();
    await expect(rotateSecretKey(db, boxes.b, boxes.d)).rejects.toThrow(SecretKeyRotationError);
    await expect(rotateSecretKey(db, boxes.b, boxes.d)).rejects.toThrow(/cluster charlie: its SASL password/);
    expect(await rawRows()).toEqual(before);
    await db.cluster.delete({ where: { alias: "charlie" } });
  });

  it("a webhook URL is stored sealed, opens for delivery only under its key; one stored in clear is sealed by a worker", async () => {
    const stored = await createWebhook(
      db,
      { name: "ops", url: `${HOOK_URL}?channel=ops`, format: "GENERIC", enabled: true },
      boxes.c,
    );
    expect(stored).not.toHaveProperty("url");
    expect(stored.origin).toBe("https://hooks.example.com");
    const [raw] = (await rawHooks()).filter((h) => h.name === "ops");
    expect(raw!.url_sealed).not.toContain("webhook-token");
    expect((await openWebhook(db, stored.id, () => boxes.c))?.url).toBe(`${HOOK_URL}?channel=ops`);
    await expect(openWebhook(db, stored.id, () => boxes.a)).rejects.toThrow(/cannot be decrypted/);
    expect(await openWebhook(db, "00000000-0000-4000-8000-000000000000", () => boxes.c)).toBeNull();

    await db.$executeRaw`INSERT INTO "webhook" ("id", "name", "url_sealed", "origin")
      VALUES (gen_random_uuid(), 'old', ${OLD_HOOK_URL}, 'https://hooks.example.com')`;
    const [old] = (await rawHooks()).filter((h) => h.name === "old");
    // Readable before it is sealed (no key needed), sealed once, then only under that key.
    const noKey = () => {
      throw new Error("no key");
    };
    expect((await openWebhook(db, old!.id, noKey))?.url).toBe(OLD_HOOK_URL);
    expect(await sealClearWebhookUrls(db, boxes.c)).toBe(1);
    expect(await sealClearWebhookUrls(db, boxes.c)).toBe(0);
    const [sealed] = (await rawHooks()).filter((h) => h.name === "old");
    expect(isClearUrl(sealed!.url_sealed)).toBe(false);
    expect((await openWebhook(db, old!.id, () => boxes.c))?.url).toBe(OLD_HOOK_URL);
    await db.webhook.deleteMany({ where: { name: { in: ["ops", "old"] } } });
  });

  it("npm run secrets:rotate-key: reports per cluster, exits 0; a wrong key exits 2 in one line", () => {
    const run = (current: string, next: string) =>
      spawnSync(
        process.execPath,
        ["--import", "tsx", path.join(repoRoot, "scripts/secrets/rotate-secret-key.ts")],
        {
          cwd: repoRoot,
          env: {
            ...process.env,
            DATABASE_URL: scratch.url,
            MIRRORDECK_SECRET_KEY: current,
            MIRRORDECK_NEW_SECRET_KEY: next,
          },
          encoding: "utf8",
        },
      );
    const ok = run(keys.b, keys.d);
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toContain("secrets:rotate-key: cluster alpha: 2 secret(s) sealed again");
    expect(ok.stdout).toContain("secrets:rotate-key: webhook pager: 1 secret(s) sealed again");
    expect(ok.stdout).toContain("5 secret(s) of 2 cluster(s) and 2 webhook(s) now under the new key");
    for (const secret of [PASSWORD, keys.b, keys.d, HOOK_URL])
      expect(ok.stdout + ok.stderr).not.toContain(secret);

    const wrong = run(keys.a, keys.c);
    expect(wrong.status).toBe(2);
    expect(wrong.stderr.trim().split("\n")).toHaveLength(1);
    expect(wrong.stderr).toMatch(
      /cluster alpha: its SASL password opens under neither the current nor the new key/,
    );
    expect(wrong.stderr).not.toMatch(/\n\s+at /);
  });
});
