import type { Database } from "../client.ts";
import type { AuditLog, Prisma } from "../generated/prisma/client.ts";

export type { AuditLog };

export interface AuditEntry {
  actor: string;
  action: string;
  targetType: string;
  targetId?: string | null;
  requestId: string;
  /** "ok" or the error code the request ended with. */
  outcome: string;
  /** Never secrets: callers pass what changed, with secret values replaced. */
  details?: Record<string, unknown>;
}

export async function recordAudit(db: Database, entry: AuditEntry): Promise<void> {
  await db.auditLog.create({
    data: {
      actor: entry.actor,
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId ?? null,
      requestId: entry.requestId,
      outcome: entry.outcome,
      details: (entry.details ?? {}) as Prisma.InputJsonValue,
    },
  });
}

/** Newest first; `beforeId` pages backwards. */
export function listAudit(db: Database, options: { limit: number; beforeId?: bigint }): Promise<AuditLog[]> {
  return db.auditLog.findMany({
    where: options.beforeId === undefined ? {} : { id: { lt: options.beforeId } },
    orderBy: { id: "desc" },
    take: options.limit,
  });
}
