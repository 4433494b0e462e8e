import { recordFlowEvent } from "@mirrordeck/db";
import { database } from "../database.ts";
import { defineRoute } from "../http/define-route.ts";
import { enqueueLifecycle } from "../queues.ts";
import { requireFlow } from "./flow-mapping.ts";

/** start / pause / resume: the request goes to the workers as a lifecycle job (202 Accepted). */
export function lifecycleRoute(
  id: "flows.start" | "flows.pause" | "flows.resume",
  action: "start" | "pause" | "resume",
) {
  return defineRoute(id, async ({ params, principal, requestId, audit }) => {
    audit.targetId = params.id;
    const flow = await requireFlow(params.id);
    const jobId = await enqueueLifecycle({
      flowId: flow.id,
      action,
      requestedBy: principal.label,
      requestedAt: new Date().toISOString(),
    });
    await recordFlowEvent(
      database(),
      flow.id,
      `operator.${action}.requested`,
      `${action} requested by ${principal.label}`,
      {
        requestId,
        jobId,
      },
    );
    audit.details = { jobId };
    return Response.json({ flowId: flow.id, action, jobId, status: "accepted" }, { status: 202 });
  });
}
