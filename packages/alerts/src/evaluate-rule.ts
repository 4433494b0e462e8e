import type { AlertKind, AlertState } from "@mirrordeck/contracts";

export interface RuleSettings {
  kind: AlertKind;
  threshold: number | null;
  forSeconds: number;
}

export interface RuleState {
  state: AlertState;
  /** When the condition started to hold; null while OK. */
  since: Date | null;
}

/**
 * The number a rule compares, or null when it is not known (no worker reported yet, no leader):
 * an unknown value neither fires a rule nor resolves it.
 */
export type Observed = { value: number | null; breached: boolean } | null;

export interface Evaluation extends RuleState {
  /** Set when the rule changed between OK/PENDING and FIRING this time. */
  transition: "firing" | "resolved" | null;
}

/** Whether `value` breaches the rule (FLOW_ERROR: the flow is in ERROR, given as breached). */
export function breaches(rule: RuleSettings, value: number): boolean {
  return rule.threshold !== null && value > rule.threshold;
}

/**
 * One step of a rule's state machine, Prometheus-style: the condition must hold for `forSeconds`
 * (PENDING meanwhile) before it fires; it resolves as soon as the condition no longer holds.
 */
export function evaluateRule(
  rule: RuleSettings,
  previous: RuleState,
  observed: Observed,
  now: Date,
): Evaluation {
  if (observed === null) return { ...previous, transition: null };
  if (!observed.breached) {
    return { state: "OK", since: null, transition: previous.state === "FIRING" ? "resolved" : null };
  }
  const since = previous.state === "OK" || previous.since === null ? now : previous.since;
  if (previous.state === "FIRING") return { state: "FIRING", since, transition: null };
  const held = (now.getTime() - since.getTime()) / 1000;
  if (held >= rule.forSeconds) return { state: "FIRING", since, transition: "firing" };
  return { state: "PENDING", since, transition: null };
}
