import { AppError } from "@mirrordeck/contracts";
import { type FailoverRun, findFailoverRun } from "@mirrordeck/db";
import { database } from "../database.ts";

export async function requireRun(flowId: string, runId: string): Promise<FailoverRun> {
  const run = await findFailoverRun(database(), runId);
  if (run === null || run.flowId !== flowId) {
    throw new AppError("NOT_FOUND", `No failover run ${runId} on this flow.`, { runId });
  }
  return run;
}
