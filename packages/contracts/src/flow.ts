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

/** What a flow looks like on the wire. */
export const flowViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  sourceAlias: z.string(),
  targetAlias: z.string(),
  enabled: z.boolean(),
  topicsInclude: z.string(),
  topicsExclude: z.string(),
  replicationPolicy: z.enum(["DEFAULT", "IDENTITY"]),
  state: flowStateSchema,
  stateReason: z.string().nullable(),
  version: z.number().int(),
});
export type FlowView = z.infer<typeof flowViewSchema>;
