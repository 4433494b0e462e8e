import { AppError } from "@mirrordeck/contracts";
import { updateFlowWithRevision } from "@mirrordeck/db";
import { database } from "@/lib/server/database.ts";
import { requireFlow, toFlowDetail } from "@/lib/server/flows/flow-mapping.ts";
import { defineRoute } from "@/lib/server/http/define-route.ts";
import { announceFlowsChanged } from "@/lib/server/queues.ts";

export const dynamic = "force-dynamic";

export const GET = defineRoute("flows.get", async ({ params }) =>
  Response.json(toFlowDetail(await requireFlow(params.id))),
);

export const PATCH = defineRoute("flows.update", async ({ params, body, principal, audit }) => {
  audit.targetId = params.id;
  const { version, ...changes } = body;
  const result = await updateFlowWithRevision(database(), params.id, version, changes, principal.label);
  if (!result.ok) {
    if (result.reason === "stale-version") {
      throw new AppError(
        "STALE_VERSION",
        `The flow changed since you read it (you sent version ${version}, it is now ${result.currentVersion}). Reload, then apply your change again.`,
        { currentVersion: result.currentVersion },
      );
    }
    throw new AppError("NOT_FOUND", `No flow with id ${params.id}.`);
  }
  audit.details = { changed: Object.keys(changes), version: result.flow.version };
  // Workers restart the flow's runner when anything it uses changed.
  await announceFlowsChanged(params.id);
  return Response.json(toFlowDetail(result.flow));
});

export const DELETE = defineRoute("flows.delete", async ({ params, audit }) => {
  audit.targetId = params.id;
  const flow = await requireFlow(params.id);
  // Positions, events, revisions and metrics go with it (cascade); workers stop it on reconcile.
  const { count } = await database().flow.deleteMany({ where: { id: params.id } });
  if (count === 0) throw new AppError("NOT_FOUND", `No flow with id ${params.id}.`);
  audit.details = { name: flow.name };
  await announceFlowsChanged(params.id);
  return new Response(null, { status: 204 });
});
