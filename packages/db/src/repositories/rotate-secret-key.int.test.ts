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
    const report = await rotateSecretKey(db, boxes.a, boxes.b, (alias, n) => progress.push(`${alias}:${n}`));
    expect(report).toEqual({ clusters: 2, resealed: 3, alreadyNew: 0 });
    expect(progress).toEqual(["alpha:2", "bravo:1"]);
    const after = await rawRows();
    for (const [i, row] of after.entries()) {
      if (row.alias === "plain") continue;
      expect(row.sasl_password_sealed).not.toBe(before[i]!.sasl_password_sealed);
      expect(opensUnder(boxes.b, row)).toBe(true);
      expect(opensUnder(boxes.a, row)).toBe(false);
      expect(JSON.stringify(row)).not.toContain(PASSWORD);
    }
    // Run again: nothing to do, nothing changed.
    expect(await rotateSecretKey(db, boxes.a, boxes.b)).toEqual({ clusters: 2, resealed: 0, alreadyNew: 3 });
    expect(await rawRows()).toEqual(after);
  });

  it("changes nothing when one secret opens under neither key, and names its cluster", async () => {
    await clusterWithSecrets("charlie", boxes.c, false);
    const before = await rawRows();
    await expect(rotateSecretKey(db, boxes.b, boxes.d)).rejects.toThrow(SecretKeyRotationError);
    await expect(rotateSecretKey(db, boxes.b, boxes.d)).rejects.toThrow(/cluster charlie: its SASL password/);
    expect(await rawRows()).toEqual(before);
    await db.cluster.delete({ where: { alias: "charlie" } });
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
    expect(ok.stdout).toContain("secrets:rotate-key: alpha: 2 secret(s) sealed again");
    expect(ok.stdout).toContain("3 secret(s) of 2 cluster(s) now under the new key");
    for (const secret of [PASSWORD, keys.b, keys.d]) expect(ok.stdout + ok.stderr).not.toContain(secret);

    const wrong = run(keys.a, keys.c);
    expect(wrong.status).toBe(2);
    expect(wrong.stderr.trim().split("\n")).toHaveLength(1);
    expect(wrong.stderr).toMatch(
      /cluster alpha: its SASL password opens under neither the current nor the new key/,
    );
    expect(wrong.stderr).not.toMatch(/\n\s+at /);
  });
});
