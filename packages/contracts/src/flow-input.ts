import { InvalidPatternError, PatternList } from "@mirrordeck/mm2";
import { z } from "zod";
import { clusterAliasSchema } from "./cluster.ts";
import { type FlowSettings, flowSettingsSchema, flowStateSchema } from "./flow.ts";

/** A topic or group pattern list as MM2 reads it (comma-separated Java regexes), checked by compiling it. */
export const patternListSchema = z
  .string()
  .max(10_000, "a pattern list is at most 10,000 characters")
  .superRefine((value, ctx) => {
    try {
      PatternList.compile(value);
    } catch (error) {
      if (!(error instanceof InvalidPatternError)) throw error;
      ctx.addIssue({ code: "custom", message: error.message });
    }
  });

export const flowNameSchema = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._>-]*$/, "a flow name uses letters, digits, '.', '_', '-' and '>'");

export const replicationPolicyKindSchema = z.enum(["DEFAULT", "IDENTITY"]);
export const startPositionSchema = z.enum(["EARLIEST", "LATEST"]);

/** Flow settings as a client sends them: every key optional; absent keys take MM2's defaults. */
export const flowSettingsInputSchema = z.strictObject(
  Object.fromEntries(
    Object.entries(flowSettingsSchema.shape).map(([key, field]) => [
      key,
      (field instanceof z.ZodDefault ? (field.unwrap() as z.ZodType) : field).optional(),
    ]),
  ),
) as unknown as z.ZodType<Partial<FlowSettings>>;

const flowFields = {
  name: flowNameSchema,
  enabled: z.boolean(),
  topicsInclude: patternListSchema,
  topicsExclude: patternListSchema,
  groupsInclude: patternListSchema,
  groupsExclude: patternListSchema,
  replicationPolicy: replicationPolicyKindSchema,
  separator: z
    .string()
    .min(1)
    .max(10)
    .regex(/^[A-Za-z0-9._-]+$/, "the separator must be characters legal in topic names"),
  startPosition: startPositionSchema,
  tasksMax: z.number().int().min(1).max(64),
  replicationFactor: z.number().int().min(1).max(32),
  settings: flowSettingsInputSchema,
};

/** POST /flows. */
export const flowCreateSchema = z
  .strictObject({
    sourceAlias: clusterAliasSchema,
    targetAlias: clusterAliasSchema,
    name: flowFields.name.optional(),
    enabled: flowFields.enabled.default(false),
    topicsInclude: flowFields.topicsInclude.optional(),
    topicsExclude: flowFields.topicsExclude.optional(),
    groupsInclude: flowFields.groupsInclude.optional(),
    groupsExclude: flowFields.groupsExclude.optional(),
    replicationPolicy: flowFields.replicationPolicy.default("DEFAULT"),
    separator: flowFields.separator.default("."),
    startPosition: flowFields.startPosition.default("EARLIEST"),
    tasksMax: flowFields.tasksMax.default(1),
    replicationFactor: flowFields.replicationFactor.default(2),
    settings: flowFields.settings.default({}),
  })
  .refine((flow) => flow.sourceAlias !== flow.targetAlias, {
    path: ["targetAlias"],
    message: "the target must be another cluster than the source",
  });
export type FlowCreate = z.infer<typeof flowCreateSchema>;

/**
 * PATCH /flows/{id}: the fields given change; `version` is the one the client read (a stale
 * version gets 409). Source and target are fixed: a different direction is a different flow.
 */
export const flowUpdateSchema = z.strictObject({
  version: z.number().int().min(1),
  name: flowFields.name.optional(),
  enabled: flowFields.enabled.optional(),
  topicsInclude: flowFields.topicsInclude.optional(),
  topicsExclude: flowFields.topicsExclude.optional(),
  groupsInclude: flowFields.groupsInclude.optional(),
  groupsExclude: flowFields.groupsExclude.optional(),
  replicationPolicy: flowFields.replicationPolicy.optional(),
  separator: flowFields.separator.optional(),
  startPosition: flowFields.startPosition.optional(),
  tasksMax: flowFields.tasksMax.optional(),
  replicationFactor: flowFields.replicationFactor.optional(),
  settings: flowFields.settings.optional(),
});
export type FlowUpdate = z.infer<typeof flowUpdateSchema>;

/** The editable fields of a flow, as stored and as revisions snapshot them. */
export const flowDefinitionSchema = z.object({
  name: z.string(),
  sourceAlias: z.string(),
  targetAlias: z.string(),
  enabled: z.boolean(),
  topicsInclude: z.string(),
  topicsExclude: z.string(),
  groupsInclude: z.string(),
  groupsExclude: z.string(),
  replicationPolicy: replicationPolicyKindSchema,
  separator: z.string(),
  startPosition: startPositionSchema,
  tasksMax: z.number().int(),
  replicationFactor: z.number().int(),
  settings: z.record(z.string(), z.unknown()),
});
export type FlowDefinition = z.infer<typeof flowDefinitionSchema>;

export const flowDetailSchema = flowDefinitionSchema.extend({
  id: z.string(),
  state: flowStateSchema,
  stateReason: z.string().nullable(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type FlowDetail = z.infer<typeof flowDetailSchema>;
