// Failover states and figures in words: the readiness panel, the wizard and the stepper share them.
import type {
  ExpectedLoss,
  FailoverReport,
  FailoverRunState,
  FailoverStep,
  FailoverStepState,
  GroupReadiness,
} from "@mirrordeck/contracts";
import { formatCount, formatSeconds } from "./format.ts";

/**
 * Badge class and a symbol per step state: the state reads without colour too. Symbols from
 * the fonts every system has (no emoji-only glyphs that render as boxes).
 */
export const STEP_STATE: Record<FailoverStepState, { label: string; badge: string; symbol: string }> = {
  pending: { label: "pending", badge: "neutral", symbol: "○" },
  running: { label: "running", badge: "neutral", symbol: "•" },
  waiting: { label: "waiting for you", badge: "warn", symbol: "…" },
  done: { label: "done", badge: "ok", symbol: "✓" },
  skipped: { label: "skipped", badge: "neutral", symbol: "–" },
  failed: { label: "failed", badge: "bad", symbol: "✗" },
};

export const RUN_STATE: Record<FailoverRunState, { label: string; badge: string }> = {
  RUNNING: { label: "running", badge: "neutral" },
  SUCCEEDED: { label: "succeeded", badge: "ok" },
  FAILED: { label: "failed", badge: "bad" },
  CANCELLED: { label: "cancelled", badge: "neutral" },
};

const RPO_BASIS: Record<NonNullable<FailoverReport["rpoBasis"]>, string> = {
  drained: "drained: every record reached the target before the handover",
  estimated: "estimated from the last end offsets the workers saw",
  measured: "measured on the old source once it came back",
};

export const rpoBasisText = (basis: FailoverReport["rpoBasis"] | undefined) =>
  basis ? RPO_BASIS[basis] : "not known yet";

/** A group's state on one side, with its member count when it has members. */
export function groupStateText(state: GroupReadiness["sourceState"], members: number): string {
  return state === "active" ? `active (${members} member${members === 1 ? "" : "s"})` : state;
}

/** Seconds a step has taken: until it ended, or until `now` while it runs. Null before it starts. */
export function stepElapsedSeconds(step: Pick<FailoverStep, "startedAt" | "endedAt">, now: number) {
  if (step.startedAt === null) return null;
  const end = step.endedAt === null ? now : Date.parse(step.endedAt);
  return Math.max(0, (end - Date.parse(step.startedAt)) / 1000);
}

/** Exact to a tenth below two minutes (RTO is measured in seconds), then as `formatSeconds`. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return "—";
  return seconds < 120 ? `${seconds.toFixed(1)} s` : formatSeconds(seconds);
}

/** "0 records" or "1.2k records over 12 s". */
export function lossText(loss: Pick<ExpectedLoss, "records" | "seconds"> | null | undefined): string {
  if (loss === null || loss === undefined) return "—";
  const records = `${formatCount(loss.records)} record${loss.records === 1 ? "" : "s"}`;
  if (loss.records === 0) return records;
  return loss.seconds === null ? records : `${records} over ${formatDuration(loss.seconds)}`;
}

/** The step the run is on: the first one neither done nor skipped. */
export function currentStep(steps: readonly FailoverStep[]): FailoverStep | undefined {
  return steps.find((s) => s.state !== "done" && s.state !== "skipped");
}
