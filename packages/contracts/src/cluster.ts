import { z } from "zod";

/** MM2 cluster aliases: letters, digits, '-' and '_' (they become topic-name prefixes). */
export const clusterAliasSchema = z
  .string()
  .min(1, "alias is required")
  .max(64, "alias is at most 64 characters")
  .regex(/^[A-Za-z0-9_-]+$/, "alias may contain only letters, digits, '-' and '_'");

const hostPort = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?):([0-9]{1,5})$/;

/** A comma-separated `host:port` list, as Kafka's bootstrap.servers. */
export const bootstrapServersSchema = z
  .string()
  .min(1, "bootstrap servers are required")
  .max(2000)
  .transform((value) =>
    value
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
  )
  .refine((list) => list.length > 0, "give at least one host:port")
  .refine(
    (list) => list.every((entry) => hostPort.test(entry) && Number(entry.split(":").pop()) <= 65535),
    "each bootstrap server must be host:port with a port from 1 to 65535",
  )
  .transform((list) => list.join(","));

/** What a cluster looks like on the wire (never includes secrets). */
export const clusterViewSchema = z.object({
  id: z.string(),
  alias: clusterAliasSchema,
  bootstrapServers: z.string(),
  securityProtocol: z.enum(["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"]),
  createdAt: z.string(),
});
export type ClusterView = z.infer<typeof clusterViewSchema>;

/** Live facts about a cluster, as read from its brokers. */
export const clusterHealthSchema = z.object({
  reachable: z.boolean(),
  brokerCount: z.number().int().nonnegative().nullable(),
  controllerId: z.number().int().nullable(),
  clusterId: z.string().nullable(),
  topicCount: z.number().int().nonnegative().nullable(),
  /** Implied by the APIs a broker advertises ("4.1 or newer"); null when it could not be asked. */
  kafkaVersion: z.string().nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
});
export type ClusterHealth = z.infer<typeof clusterHealthSchema>;
