"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { QueryState } from "@/components/query-state.tsx";
import { currentStep, RUN_STATE, STEP_STATE } from "@/lib/failover-words.ts";
import { refreshAfterFailover, useFailoverRun } from "@/lib/use-failover.ts";
import { useMe } from "@/lib/use-me.ts";
import { useNow } from "@/lib/use-now.ts";
import { CancelFailover } from "./cancel-failover.tsx";
import { FailoverReportCard } from "./failover-report.tsx";
import { FailoverStepItem } from "./failover-step.tsx";

/**
 * A run as it happens: every step with its state and time, what the current one waits for, a
 * cancel while it is still possible, and the report when it ends. Polled every second.
 */
export function FailoverStepper({
  flowId,
  runId,
  names,
  focusOnShow,
}: {
  flowId: string;
  runId: string;
  names: { source: string; target: string };
  /** Just started from the wizard: take focus, the form it replaces is gone. */
  focusOnShow: boolean;
}) {
  const query = useFailoverRun(flowId, runId);
  const run = query.data;
  const running = run?.state === "RUNNING";
  const now = useNow(running);
  const { can } = useMe();
  const client = useQueryClient();
  const heading = useRef<HTMLHeadingElement>(null);
  const seenRunning = useRef(false);

  useEffect(() => {
    if (focusOnShow) heading.current?.focus();
  }, [focusOnShow]);
  // The end of a run changes the flow (paused, active side, reverse flow): refresh its pages.
  useEffect(() => {
    if (running) seenRunning.current = true;
    else if (seenRunning.current) {
      seenRunning.current = false;
      refreshAfterFailover(client, flowId);
    }
  }, [running, client, flowId]);

  const step = run === undefined ? undefined : currentStep(run.steps);
  return (
    <section aria-labelledby="fo-run-heading" data-testid="failover-run">
      <div className="section-head">
        <h2 id="fo-run-heading" ref={heading} tabIndex={-1}>
          {run ? `${run.mode === "planned" ? "Planned" : "Unplanned"} failover` : "Failover"} {names.source} →{" "}
          {names.target}
        </h2>
        {run ? (
          <span
            className={`badge ${RUN_STATE[run.state].badge}`}
            data-testid="run-state"
            data-state={run.state}
          >
            {RUN_STATE[run.state].label}
          </span>
        ) : null}
        {run?.cancellable && can("OPERATOR") ? <CancelFailover flowId={flowId} runId={runId} /> : null}
      </div>
      <QueryState query={query} loading="Loading the run…" failed="Could not load the run">
        {(r) => (
          <>
            <p className="muted">
              Started <time dateTime={r.createdAt}>{new Date(r.createdAt).toLocaleString("en-GB")}</time> by{" "}
              {r.requestedBy}
              {r.cancelRequested && r.state === "RUNNING" ? " · cancel requested" : ""}
            </p>
            {/* Announces step changes, not every tick of a waiting step's text. */}
            <p className="visually-hidden" role="status">
              {r.state === "RUNNING" && step
                ? `Step ${r.steps.indexOf(step) + 1} of ${r.steps.length}, ${step.title}: ${STEP_STATE[step.state].label}`
                : `Failover ${RUN_STATE[r.state].label}`}
            </p>
            <ol className="fo-stepper" data-testid="failover-stepper">
              {r.steps.map((s, i) => (
                <FailoverStepItem
                  key={s.id}
                  step={s}
                  number={i + 1}
                  now={now}
                  current={r.state === "RUNNING" && s === step}
                  returnMark={Boolean(s.pointOfNoReturn) && !r.steps[i - 1]?.pointOfNoReturn}
                />
              ))}
            </ol>
            {r.state === "RUNNING" ? null : <FailoverReportCard flowId={flowId} run={r} />}
          </>
        )}
      </QueryState>
    </section>
  );
}
