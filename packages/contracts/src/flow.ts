import { z } from "zod";

export const flowStateSchema = z.enum([
  "CREATED",
  "STARTING",
  "RUNNING",
  "CATCHING_UP",
  "PAUSED",
  "ERROR",
  "STOPPED",
]);

/** Lifecycle state of a flow, as workers report it. */
export type FlowState = z.infer<typeof flowStateSchema>;

// A type, a colon and a name; names may hold spaces, commas and '=' (TLS principals: User:CN=a b,O=c).
const KAFKA_PRINCIPAL = /^[A-Za-z][A-Za-z0-9]*:\S(?:.*\S)?$/;
const PRINCIPAL_MESSAGE = "must be a Kafka principal such as User:alice";

/** A Kafka principal as ACLs name it: `User:alice`. */
export const kafkaPrincipalSchema = z.string().trim().max(256).regex(KAFKA_PRINCIPAL, PRINCIPAL_MESSAGE);

/** Source principal → target principal for topic ACL sync; both sides validated. */
export const aclPrincipalMapSchema = z
  .record(z.string().max(256), kafkaPrincipalSchema)
  .superRefine((map, ctx) => {
    const keys = Object.keys(map);
    if (keys.length > 100) ctx.addIssue({ code: "custom", message: "at most 100 principals can be mapped" });
    for (const key of keys) {
      if (!KAFKA_PRINCIPAL.test(key)) {
        ctx.addIssue({ code: "custom", path: [key], message: `${key} ${PRINCIPAL_MESSAGE}` });
      }
    }
  });

/** MM2 options of a flow kept in its `settings` JSON; absent keys take MM2's defaults. */
export const flowSettingsSchema = z
  .object({
    syncTopicConfigs: z.boolean().default(true),
    syncTopicConfigsIntervalSeconds: z.number().int().min(1).max(86_400).default(600),
    /**
     * Exactly-once delivery into the target (ADR 0015; MM2: exactly.once.source.support). Offset
     * syncs then live on the target whatever offsetSyncsTopicLocation says.
     */
    exactlyOnce: z.boolean().default(false),
    /** MM2's `sync.topic.acls.enabled` (on by default, as in MM2). */
    syncTopicAcls: z.boolean().default(true),
    syncTopicAclsIntervalSeconds: z.number().int().min(1).max(86_400).default(600),
    /** MirrorDeck's own: a source principal's name on the target (MM2 keeps names as they are). */
    aclPrincipalMap: aclPrincipalMapSchema.optional(),
    refreshTopicsIntervalSeconds: z.number().int().min(1).max(86_400).default(600),
    configPropertiesExclude: z.string().max(10_000).optional(),
    offsetLagMax: z.number().int().min(0).max(1_000_000_000).default(100),
    emitOffsetSyncs: z.boolean().default(true),
    offsetSyncsTopicLocation: z.enum(["source", "target"]).default("source"),
    /** How often positions are written; bounds duplicates after a crash. */
    commitIntervalMs: z.number().int().min(100).max(60_000).default(1_000),
    offsetSyncFlushIntervalSeconds: z.number().int().min(1).max(3_600).default(60),
    emitCheckpointsEnabled: z.boolean().default(true),
    emitCheckpointsIntervalSeconds: z.number().int().min(1).max(86_400).default(60),
    refreshGroupsIntervalSeconds: z.number().int().min(1).max(86_400).default(600),
    syncGroupOffsetsEnabled: z.boolean().default(false),
    syncGroupOffsetsIntervalSeconds: z.number().int().min(1).max(86_400).default(60),
    emitHeartbeatsEnabled: z.boolean().default(true),
    emitHeartbeatsIntervalSeconds: z.number().int().min(1).max(86_400).default(1),
  })
  .strict();
export type FlowSettings = z.infer<typeof flowSettingsSchema>;
