// `npm run secrets:rotate-key`: seals every stored secret (cluster credentials, webhook URLs) again
// under a new key.
//
//   MIRRORDECK_SECRET_KEY=<current> MIRRORDECK_NEW_SECRET_KEY=<new> npm run secrets:rotate-key
//
// All or nothing (one transaction); safe to run again. Then give web and workers the new key as
// MIRRORDECK_SECRET_KEY and restart them: until then they cannot open what was rotated.
import "../load-dotenv.ts";
import { ConfigError, loadEnv } from "@mirrordeck/config";
import { createDatabase, rotateSecretKey, SecretKeyRotationError } from "@mirrordeck/db";
import { createSecretBox, type SecretBox, SecurityError } from "@mirrordeck/security";

const say = (line: string) => console.log(`secrets:rotate-key: ${line}`);
const fail = (line: string): never => {
  console.error(`secrets:rotate-key: ${line}`);
  process.exit(2);
};

function box(name: string, value: string | undefined): SecretBox {
  if (!value) fail(`${name} is not set (32 random bytes, base64: openssl rand -base64 32)`);
  try {
    return createSecretBox(value!);
  } catch (error) {
    return fail(`${name}: ${(error as SecurityError).message}`);
  }
}

let databaseUrl: string;
try {
  databaseUrl = loadEnv().DATABASE_URL;
} catch (error) {
  if (error instanceof ConfigError) fail(error.message);
  throw error;
}
const current = process.env.MIRRORDECK_SECRET_KEY;
const next = process.env.MIRRORDECK_NEW_SECRET_KEY;
if (current !== undefined && current === next) fail("the new key is the current key");
const from = box("MIRRORDECK_SECRET_KEY", current);
const to = box("MIRRORDECK_NEW_SECRET_KEY", next);

const db = createDatabase(databaseUrl!, { maxConnections: 2 });
try {
  const report = await rotateSecretKey(db, from, to, (owner, resealed) =>
    say(`${owner}: ${resealed === 0 ? "already under the new key" : `${resealed} secret(s) sealed again`}`),
  );
  say(
    `${report.resealed} secret(s) of ${report.clusters} cluster(s) and ${report.webhooks} webhook(s) now under the new key (${report.alreadyNew} already were). Set MIRRORDECK_SECRET_KEY to the new key on the web app and every worker, and restart them.`,
  );
} catch (error) {
  if (error instanceof SecretKeyRotationError || error instanceof SecurityError) fail(error.message);
  fail(`the rotation failed and changed nothing: ${(error as Error).message.split("\n")[0]}`);
} finally {
  await db.$disconnect();
}
