import { flowDefinitionOf } from "@mirrordeck/db";
import { requireFlow } from "@/lib/server/flows/flow-mapping.ts";
import { runPreview } from "@/lib/server/flows/run-preview.ts";
import { defineRoute } from "@/lib/server/http/define-route.ts";

export const dynamic = "force-dynamic";

export const GET = defineRoute("flows.preview", async ({ params }) =>
  Response.json(await runPreview(flowDefinitionOf(await requireFlow(params.id)))),
);
