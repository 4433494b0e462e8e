import {
  GROUPS_DEFAULT,
  GROUPS_EXCLUDE_DEFAULT,
  TOPICS_DEFAULT,
  TOPICS_EXCLUDE_DEFAULT,
} from "@mirrordeck/mm2";
import { runPreview } from "@/lib/server/flows/run-preview.ts";
import { defineRoute } from "@/lib/server/http/define-route.ts";

export const dynamic = "force-dynamic";

/** The wizard's live preview: a flow as typed so far, nothing stored. */
export const POST = defineRoute("flows.previewDraft", async ({ body }) =>
  Response.json(
    await runPreview({
      ...body,
      topicsInclude: body.topicsInclude ?? TOPICS_DEFAULT,
      topicsExclude: body.topicsExclude ?? TOPICS_EXCLUDE_DEFAULT,
      groupsInclude: body.groupsInclude ?? GROUPS_DEFAULT,
      groupsExclude: body.groupsExclude ?? GROUPS_EXCLUDE_DEFAULT,
    }),
  ),
);
