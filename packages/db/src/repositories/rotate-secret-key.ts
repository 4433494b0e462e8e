import type { SecretBox } from "@mirrordeck/security";
import type { Database } from "../client.ts";
import { isClearUrl, webhookUrlContext } from "./alert-store.ts";
import { clientKeyContext, saslPasswordContext } from "./cluster-secrets.ts";

export interface SecretKeyRotation {
  clusters: number;
  webhooks: number;
  /** Secrets sealed again under the new key. */
  resealed: number;
  /** Secrets already sealed under the new key (a rotation run before, or interrupted). */
  alreadyNew: number;
}

/** A stored secret opens under neither key: nothing was changed. */
export class SecretKeyRotationError extends Error {
  /** @param owner e.g. "cluster east"; @param remedy how to store that secret again. */
  constructor(owner: string, field: string, remedy: string) {
    super(
      `${owner}: its ${field} opens under neither the current nor the new key; nothing was changed. ${remedy} and run the rotation again.`,
    );
    this.name = "SecretKeyRotationError";
  }
}

interface SealedField {
  column: "saslPasswordSealed" | "clientKeySealed";
  label: string;
  context: (clusterId: string) => string;
}

const FIELDS: SealedField[] = [
  { column: "saslPasswordSealed", label: "SASL password", context: saslPasswordContext },
  { column: "clientKeySealed", label: "TLS private key", context: clientKeyContext },
];

/**
 * Seals every stored secret (cluster credentials, webhook URLs) again under `to`, in one transaction
 * with the rows locked: all secrets move to the new key, or (one cannot be opened) none does. Safe
 * to run again: a secret that already opens under `to` is left as it is; a webhook URL still in
 * clear (stored before URLs were sealed) is sealed. `onOwner` reports progress ("cluster east",
 * "webhook pager").
 */
export async function rotateSecretKey(
  db: Database,
  from: SecretBox,
  to: SecretBox,
  onOwner: (owner: string, resealed: number) => void = () => {},
): Promise<SecretKeyRotation> {
  return db.$transaction(
    async (tx) => {
      // Locked until commit: a cluster edited meanwhile waits, and cannot be sealed under the old key.
      const ids = await tx.$queryRaw<{ id: string }[]>`
        SELECT "id" FROM "cluster"
        WHERE "sasl_password_sealed" IS NOT NULL OR "client_key_sealed" IS NOT NULL
        ORDER BY "alias" FOR UPDATE`;
      const webhookIds = await tx.$queryRaw<{ id: string }[]>`
        SELECT "id" FROM "webhook" ORDER BY "name" FOR UPDATE`;
      const report: SecretKeyRotation = {
        clusters: ids.length,
        webhooks: webhookIds.length,
        resealed: 0,
        alreadyNew: 0,
      };
      for (const { id } of ids) {
        const cluster = await tx.cluster.findUniqueOrThrow({ where: { id } });
        const changes: Partial<Record<SealedField["column"], string>> = {};
        for (const field of FIELDS) {
          const sealed = cluster[field.column];
          if (sealed === null) continue;
          const context = field.context(id);
          if (opens(to, sealed, context)) {
            report.alreadyNew += 1;
            continue;
          }
          if (!opens(from, sealed, context)) {
            throw new SecretKeyRotationError(
              `cluster ${cluster.alias}`,
              field.label,
              `Enter that secret again (PATCH /api/v1/clusters/${cluster.alias})`,
            );
          }
          changes[field.column] = to.seal(from.open(sealed, context), context);
        }
        const resealed = Object.keys(changes).length;
        if (resealed > 0) await tx.cluster.update({ where: { id }, data: changes });
        report.resealed += resealed;
        onOwner(`cluster ${cluster.alias}`, resealed);
      }
      for (const { id } of webhookIds) {
        const webhook = await tx.webhook.findUniqueOrThrow({ where: { id } });
        const context = webhookUrlContext(id);
        const clear = isClearUrl(webhook.urlSealed);
        if (!clear && opens(to, webhook.urlSealed, context)) {
          report.alreadyNew += 1;
          onOwner(`webhook ${webhook.name}`, 0);
          continue;
        }
        if (!clear && !opens(from, webhook.urlSealed, context)) {
          throw new SecretKeyRotationError(
            `webhook ${webhook.name}`,
            "URL",
            `Delete the webhook and add it again (Admin → Webhooks)`,
          );
        }
        const url = clear ? webhook.urlSealed : from.open(webhook.urlSealed, context);
        await tx.webhook.update({ where: { id }, data: { urlSealed: to.seal(url, context) } });
        report.resealed += 1;
        onOwner(`webhook ${webhook.name}`, 1);
      }
      return report;
    },
    { timeout: 120_000 },
  );
}

function opens(box: SecretBox, sealed: string, context: string): boolean {
  try {
    box.open(sealed, context);
    return true;
  } catch {
    return false;
  }
}
