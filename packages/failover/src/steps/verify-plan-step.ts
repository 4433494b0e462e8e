import { observeReadiness } from "../observe-readiness.ts";
import type { StepInput, StepResult } from "./step-types.ts";

/** (0) The dry-run, again, at the moment the run starts: refuse what became unsafe since. */
export async function verifyPlanStep({ ctx, run }: StepInput): Promise<StepResult> {
  const readiness = await observeReadiness(ctx);
  const blocking = readiness.reasons.filter(
    (r) =>
      r.level === "block" &&
      r.code !== "FAILOVER_RUNNING" && // this very run
      (run.mode === "planned" || r.code !== "SOURCE_UNREACHABLE"),
  );
  // Active target groups can still be stopped: the handover waits for them.
  const fatal = blocking.filter((r) => r.code !== "TARGET_GROUP_ACTIVE");
  if (fatal.length > 0) return { kind: "failed", error: fatal.map((r) => r.message).join(" ") };
  return {
    kind: "done",
    outcome: `${readiness.totals.partitions} partition(s), ${readiness.groups.length} group(s), ${readiness.totals.lagRecords} record(s) of lag; ${readiness.sourceReachable ? `${readiness.sourceAlias} reachable` : `${readiness.sourceAlias} unreachable`}.`,
  };
}
