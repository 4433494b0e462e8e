export { advanceFailoverRun, POLL_MS, type RunDeps, resumeStalledRuns, runView } from "./advance-run.ts";
export { readDivergentRecords } from "./divergent-records.ts";
export { divergentFromReverse, dryRunFailover } from "./dry-run.ts";
export { type FailoverContext, openFailoverContext } from "./failover-context.ts";
export { buildPlan, lossFromLag, POINT_OF_NO_RETURN, planSteps } from "./failover-plan.ts";
export { flowSpecFromRow, specFingerprint } from "./flow-spec-from-row.ts";
export { measureActualLoss } from "./measure-loss.ts";
export { observeReadiness } from "./observe-readiness.ts";
export { readinessReasons } from "./readiness-reasons.ts";
