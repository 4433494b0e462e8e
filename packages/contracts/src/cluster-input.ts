import { z } from "zod";
import { bootstrapServersSchema, clusterAliasSchema } from "./cluster.ts";

export const securityProtocolSchema = z.enum(["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"]);
export type SecurityProtocol = z.infer<typeof securityProtocolSchema>;

/** Kafka's names for the SASL mechanisms MirrorDeck supports. */
export const saslMechanismSchema = z.enum(["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"]);
export type SaslMechanismName = z.infer<typeof saslMechanismSchema>;

const pem = (what: string) =>
  z
    .string()
    .max(64 * 1024, `${what} is at most 64 KiB`)
    .regex(/-----BEGIN [A-Z0-9 ]+-----[\s\S]+-----END [A-Z0-9 ]+-----/, `${what} must be PEM text`);

/** Kafka client properties MirrorDeck applies to every client of a cluster (the rest is ours to set). */
export const CLIENT_OVERRIDE_KEYS = [
  "client.id",
  "request.timeout.ms",
  "socket.connection.setup.timeout.ms",
  "retry.backoff.ms",
  "retries",
] as const;

const numeric = /^[0-9]{1,9}$/;

/** Non-secret Kafka client properties (client.id, request.timeout.ms, …) applied to every client. */
export const clientOverridesSchema = z
  .partialRecord(
    z.enum(CLIENT_OVERRIDE_KEYS, {
      error: () =>
        `supported client overrides: ${CLIENT_OVERRIDE_KEYS.join(", ")} (secrets and security settings have their own fields)`,
    }),
    z.string().min(1).max(200),
  )
  .superRefine((record, ctx) => {
    for (const [key, value] of Object.entries(record)) {
      if (key !== "client.id" && !numeric.test(value ?? "")) {
        ctx.addIssue({ code: "custom", path: [key], message: `${key} must be a whole number` });
      }
    }
  });

export const saslInputSchema = z.strictObject({
  mechanism: saslMechanismSchema,
  username: z.string().min(1).max(255),
  /** Write-only: sealed at rest, never returned. Omit on update to keep the stored one. */
  password: z.string().min(1).max(1024).optional(),
});

export const tlsInputSchema = z.strictObject({
  caCertificate: pem("caCertificate").nullable().optional(),
  clientCertificate: pem("clientCertificate").nullable().optional(),
  /** Write-only PEM private key: sealed at rest, never returned. */
  clientKey: pem("clientKey").nullable().optional(),
});

const usesSasl = (protocol: SecurityProtocol) => protocol === "SASL_PLAINTEXT" || protocol === "SASL_SSL";
const usesTls = (protocol: SecurityProtocol) => protocol === "SSL" || protocol === "SASL_SSL";

function checkSecurity(
  value: { securityProtocol?: SecurityProtocol | undefined; sasl?: unknown; tls?: unknown },
  ctx: z.RefinementCtx,
): void {
  const protocol = value.securityProtocol;
  if (protocol === undefined) return;
  if (usesSasl(protocol) && value.sasl == null) {
    ctx.addIssue({
      code: "custom",
      path: ["sasl"],
      message: `${protocol} needs sasl: mechanism, username and password`,
    });
  }
  if (!usesSasl(protocol) && value.sasl != null) {
    ctx.addIssue({
      code: "custom",
      path: ["sasl"],
      message: `sasl is only used with SASL_PLAINTEXT or SASL_SSL, not ${protocol}`,
    });
  }
  if (!usesTls(protocol) && value.tls != null) {
    ctx.addIssue({
      code: "custom",
      path: ["tls"],
      message: `tls is only used with SSL or SASL_SSL, not ${protocol}`,
    });
  }
}

/** POST /clusters. */
export const clusterCreateSchema = z
  .strictObject({
    alias: clusterAliasSchema,
    bootstrapServers: bootstrapServersSchema,
    securityProtocol: securityProtocolSchema.default("PLAINTEXT"),
    sasl: saslInputSchema.nullable().optional(),
    tls: tlsInputSchema.nullable().optional(),
    clientOverrides: clientOverridesSchema.default({}),
  })
  .superRefine((value, ctx) => {
    checkSecurity(value, ctx);
    if (value.sasl != null && value.sasl.password === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["sasl", "password"],
        message: "a new cluster's SASL password is required",
      });
    }
  });
export type ClusterCreate = z.infer<typeof clusterCreateSchema>;

/** PATCH /clusters/{alias}: what is given changes; `version` is the one the client read. */
export const clusterUpdateSchema = z
  .strictObject({
    version: z.number().int().min(1),
    bootstrapServers: bootstrapServersSchema.optional(),
    securityProtocol: securityProtocolSchema.optional(),
    sasl: saslInputSchema.nullable().optional(),
    tls: tlsInputSchema.nullable().optional(),
    clientOverrides: clientOverridesSchema.optional(),
  })
  .superRefine(checkSecurity);
export type ClusterUpdate = z.infer<typeof clusterUpdateSchema>;

/** A cluster as every endpoint returns it: secrets are reported as set or not, never shown. */
export const clusterDetailSchema = z.object({
  id: z.string(),
  alias: z.string(),
  bootstrapServers: z.string(),
  securityProtocol: securityProtocolSchema,
  sasl: z
    .object({ mechanism: saslMechanismSchema, username: z.string(), passwordSet: z.boolean() })
    .nullable(),
  tls: z
    .object({
      caCertificate: z.string().nullable(),
      clientCertificate: z.string().nullable(),
      clientKeySet: z.boolean(),
    })
    .nullable(),
  clientOverrides: z.record(z.string(), z.string()),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ClusterDetail = z.infer<typeof clusterDetailSchema>;
