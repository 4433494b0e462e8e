import type { SecretBox } from "@mirrordeck/security";
import type { Database } from "../client.ts";
import { clientKeyContext, saslPasswordContext } from "./cluster-secrets.ts";

export interface SecretKeyRotation {
  clusters: number;
  /** Secrets sealed again under the new key. */
  resealed: number;
  /** Secrets already sealed under the new key (a rotation run before, or interrupted). */
  alreadyNew: number;
}

/** A stored secret opens under neither key: nothing was changed. */
export class SecretKeyRotationError extends Error {
  constructor(alias: string, field: string) {
    super(
      `cluster ${alias}: its ${field} opens under neither the current nor the new key; nothing was changed. Enter that secret again (PATCH /api/v1/clusters/${alias}) and run the rotation again.`,
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
 * Seals every stored cluster secret again under `to`, in one transaction with the rows locked: all
 * secrets move to the new key, or (one cannot be opened) none does. Safe to run again: a secret that
 * already opens under `to` is left as it is. `onCluster` reports progress.
 */
export async function rotateSecretKey(
  db: Database,
  from: SecretBox,
  to: SecretBox,
  onCluster: (alias: string, resealed: number) => void = () => {},
): Promise<SecretKeyRotation> {
  return db.$transaction(
    async (tx) => {
      // Locked until commit: a cluster edited meanwhile waits, and cannot be sealed under the old key.
      const ids = await tx.$queryRaw<{ id: string }[]>`
        SELECT "id" FROM "cluster"
        WHERE "sasl_password_sealed" IS NOT NULL OR "client_key_sealed" IS NOT NULL
        ORDER BY "alias" FOR UPDATE`;
      const report: SecretKeyRotation = { clusters: ids.length, resealed: 0, alreadyNew: 0 };
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
          if (!opens(from, sealed, context)) throw new SecretKeyRotationError(cluster.alias, field.label);
          changes[field.column] = to.seal(from.open(sealed, context), context);
        }
        const resealed = Object.keys(changes).length;
        if (resealed > 0) await tx.cluster.update({ where: { id }, data: changes });
        report.resealed += resealed;
        onCluster(cluster.alias, resealed);
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
