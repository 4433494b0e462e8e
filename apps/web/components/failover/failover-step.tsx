import type { FailoverStep } from "@mirrordeck/contracts";
import { formatDuration, STEP_STATE, stepElapsedSeconds } from "@/lib/failover-words.ts";

/**
 * One step of a run: its state in words and symbol, how long it has taken (ticking while it
 * runs), what it waits for (the operator acts on it, so it stands out), its outcome or error.
 */
export function FailoverStepItem({
  step,
  number,
  now,
  current,
  returnMark,
}: {
  step: FailoverStep;
  number: number;
  now: number;
  current: boolean;
  /** The first step past the point of no return: say so above it. */
  returnMark: boolean;
}) {
  const state = STEP_STATE[step.state];
  const elapsed = stepElapsedSeconds(step, now);
  const active = step.state === "running" || step.state === "waiting";
  return (
    <li
      className={`fo-step fo-step-${step.state}`}
      data-testid={`step-${step.id}`}
      data-state={step.state}
      aria-current={current ? "step" : undefined}
    >
      {returnMark ? (
        <p className="fo-return-mark">Point of no return: a cancel is honoured only before this step.</p>
      ) : null}
      <div className="fo-step-head">
        <span className={`fo-step-symbol ${state.badge}`} aria-hidden="true">
          {state.symbol}
        </span>
        <strong>
          {number}. {step.title}
        </strong>
        <span className={`badge ${state.badge}`} data-testid="step-state">
          {state.label}
        </span>
        {elapsed === null ? null : (
          <span className="muted fo-elapsed" data-testid="step-elapsed">
            {active ? `for ${formatDuration(elapsed)}` : `took ${formatDuration(elapsed)}`}
          </span>
        )}
      </div>
      <p className="muted fo-step-text">{step.description}</p>
      {active && step.waitingFor ? (
        <p className="fo-waiting" data-testid={`step-${step.id}-waiting`}>
          <span aria-hidden="true">→ </span>
          {step.waitingFor}
        </p>
      ) : null}
      {step.outcome ? (
        <p className="fo-step-text" data-testid="step-outcome">
          {step.outcome}
        </p>
      ) : null}
      {step.error ? <p className="error-text fo-step-text">{step.error}</p> : null}
    </li>
  );
}
