import { z } from "zod";
import { clusterAliasSchema } from "../cluster.ts";

export const uuidParamSchema = z.strictObject({ id: z.uuid("not a valid id") });
export const runParamSchema = z.strictObject({
  id: z.uuid("not a valid id"),
  runId: z.uuid("not a valid id"),
});
export const aliasParamSchema = z.strictObject({ alias: clusterAliasSchema });
export const emptySchema = z.strictObject({});

export const errorBodySchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()) }),
});

/** A list of anything, for endpoints whose items are described in prose. */
export const itemsSchema = z.object({ items: z.array(z.record(z.string(), z.unknown())) });
export const objectSchema = z.record(z.string(), z.unknown());

export const loginSchema = z.strictObject({
  email: z.email().max(320),
  password: z.string().min(1).max(1024),
});

export const userCreateSchema = z.strictObject({
  email: z.email().max(320),
  password: z.string().min(12, "passwords are at least 12 characters").max(1024),
  role: z.enum(["VIEWER", "OPERATOR", "ADMIN"]),
});

export const userUpdateSchema = z.strictObject({
  role: z.enum(["VIEWER", "OPERATOR", "ADMIN"]).optional(),
  password: z.string().min(12, "passwords are at least 12 characters").max(1024).optional(),
  disabled: z.boolean().optional(),
});

export const tokenCreateSchema = z.strictObject({
  name: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[A-Za-z0-9 ._-]+$/, "a token name uses letters, digits, spaces, '.', '_' and '-'"),
  role: z.enum(["VIEWER", "OPERATOR", "ADMIN"]),
  /** Days until the token stops working; absent = never. */
  expiresInDays: z.number().int().min(1).max(3650).optional(),
});

export const metricsQuerySchema = z.strictObject({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  step: z.coerce.number().int().min(60).max(86_400).optional(),
  topic: z.string().min(1).max(249).optional(),
  /** Topics named at most; the rest are one series, "(other topics)". */
  maxTopics: z.coerce.number().int().min(1).max(10_000).default(20),
});

export const importQuerySchema = z.strictObject({
  apply: z.enum(["true", "false"]).default("false"),
});

export const auditQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  before: z.coerce.number().int().min(1).optional(),
});
