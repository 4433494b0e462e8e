import { type FlowLifecycleJob, flowLifecycleJobSchema } from "@mirrordeck/contracts";
import type { Logger } from "./logger.ts";

/** Validates a lifecycle job; the replication engine acts on it (engine issue). */
export async function handleFlowLifecycleJob(data: unknown, log: Logger): Promise<FlowLifecycleJob> {
  const job = flowLifecycleJobSchema.parse(data);
  log.info({ flowId: job.flowId, action: job.action }, "flow lifecycle request received");
  return job;
}
