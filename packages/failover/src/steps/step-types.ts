import type { FailoverMode, FailoverOptions, FailoverReport, FailoverStep } from "@mirrordeck/contracts";
import type { FailoverContext } from "../failover-context.ts";

/** A run as a step sees it. */
export interface RunView {
  id: string;
  mode: FailoverMode;
  options: FailoverOptions;
  steps: FailoverStep[];
  report: Partial<FailoverReport>;
  requestedBy: string;
  createdAt: Date;
}

export interface StepInput {
  ctx: FailoverContext;
  run: RunView;
  step: FailoverStep;
}

/**
 * What one execution of a step found. Steps are idempotent: run again (another worker, a retry)
 * they reach the same result; `memo` carries what they observed so far.
 */
export type StepResult =
  | { kind: "done"; outcome: string; memo?: Record<string, unknown>; report?: Partial<FailoverReport> }
  | { kind: "waiting"; waitingFor: string; memo?: Record<string, unknown> }
  | { kind: "failed"; error: string };
