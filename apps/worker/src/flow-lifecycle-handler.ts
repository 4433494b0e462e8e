import { type FlowLifecycleJob, flowLifecycleJobSchema } from "@mirrordeck/contracts";
import { type Database, findFlow, PgPositionStore, recordFlowEvent, setFlowEnabled } from "@mirrordeck/db";
import type { Logger } from "./logger.ts";

/**
 * Applies an operator's request to the stored flow. Every worker then reconciles (the caller
 * broadcasts), so the effect shows within seconds whichever worker took the job.
 */
export async function handleFlowLifecycleJob(
  data: unknown,
  db: Database,
  log: Logger,
): Promise<FlowLifecycleJob> {
  const job = flowLifecycleJobSchema.parse(data);
  log.info({ flowId: job.flowId, action: job.action }, "flow lifecycle request");
  if (job.action !== "delete" && (await findFlow(db, job.flowId)) === null) {
    // Deleted after the request was queued: nothing left to do, and nothing to retry.
    log.warn(
      { flowId: job.flowId, action: job.action },
      "lifecycle request for a flow that no longer exists",
    );
    return job;
  }
  switch (job.action) {
    case "start":
    case "resume":
      await setFlowEnabled(db, job.flowId, true, "STARTING", job.requestedBy);
      break;
    case "pause":
      await setFlowEnabled(db, job.flowId, false, "PAUSED", job.requestedBy);
      break;
    case "reconfigure":
      break;
    case "delete":
      await new PgPositionStore(db).forget(job.flowId);
      await db.flow.delete({ where: { id: job.flowId } }).catch(() => {});
      return job;
  }
  await recordFlowEvent(
    db,
    job.flowId,
    `operator.${job.action}`,
    `${job.action} requested by ${job.requestedBy}`,
    {
      requestedAt: job.requestedAt,
    },
  );
  return job;
}
