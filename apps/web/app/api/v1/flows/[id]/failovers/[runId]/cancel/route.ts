import { AppError } from "@mirrordeck/contracts";
import { recordFlowEvent, requestFailoverCancel } from "@mirrordeck/db";
import { database } from "@/lib/server/database.ts";
import { toRunView } from "@/lib/server/failover/failover-service.ts";
import { requireRun } from "@/lib/server/failover/require-run.ts";
import { defineRoute } from "@/lib/server/http/define-route.ts";

export const dynamic = "force-dynamic";

/** Honoured by the next step to start, unless the run is past its point of no return. */
export const POST = defineRoute("flows.failover-cancel", async ({ params, principal, audit }) => {
  audit.targetId = params.id;
  const run = toRunView(await requireRun(params.id, params.runId));
  if (!run.cancellable || !(await requestFailoverCancel(database(), params.runId))) {
    throw new AppError(
      "FAILOVER_NOT_CANCELLABLE",
      run.state === "RUNNING"
        ? "The run is past its point of no return (offsets are being handed over): it cannot be cancelled."
        : `The run has already ended (${run.state.toLowerCase()}).`,
    );
  }
  await recordFlowEvent(
    database(),
    params.id,
    "failover.cancel-requested",
    `Cancel requested by ${principal.label}`,
    {
      runId: params.runId,
    },
  );
  audit.details = { runId: params.runId };
  return Response.json(toRunView(await requireRun(params.id, params.runId)), { status: 202 });
});
