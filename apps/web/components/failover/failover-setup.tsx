"use client";

import type { FailoverOptions, FailoverPlan, FailoverRunView } from "@mirrordeck/contracts";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { api } from "@/lib/api-client.ts";
import { fieldErrors } from "@/lib/form-errors.ts";
import { useReadiness } from "@/lib/use-failover.ts";
import { useMe } from "@/lib/use-me.ts";
import {
  checkOptions,
  DEFAULT_OPTIONS,
  FailoverOptionsForm,
  type OptionsDraft,
  type OptionsErrors,
} from "./failover-options.tsx";
import { FailoverPlanView } from "./failover-plan.tsx";
import { ReadinessVerdict } from "./readiness-verdict.tsx";
import { StartFailover } from "./start-failover.tsx";

const sameOptions = (a: FailoverOptions, b: FailoverOptions) =>
  a.mode === b.mode &&
  a.quietPeriodSeconds === b.quietPeriodSeconds &&
  a.createReverseFlow === b.createReverseFlow &&
  a.divergentRecords === b.divergentRecords;

/** A new failover: readiness now, the options, the dry-run's plan, then the start. */
export function FailoverSetup({
  flowId,
  names,
  onStarted,
}: {
  flowId: string;
  names: { source: string; target: string };
  onStarted: (run: FailoverRunView) => void;
}) {
  const { me, can } = useMe();
  const readiness = useReadiness(flowId);
  const [draft, setDraft] = useState<OptionsDraft>(DEFAULT_OPTIONS);
  const [errors, setErrors] = useState<OptionsErrors>({});
  // The plan with the options it was made for: the run starts with exactly those.
  const [planned, setPlanned] = useState<{ plan: FailoverPlan; options: FailoverOptions } | null>(null);
  const dryRun = useMutation({
    mutationFn: (options: FailoverOptions) => api.dryRunFailover(flowId, options),
    onSuccess: (plan, options) => {
      setErrors({});
      setPlanned({ plan, options });
    },
    onError: (error) => setErrors(fieldErrors(error, ["quietPeriodSeconds"])),
  });

  function runDryRun() {
    const checked = checkOptions(draft);
    if (!("mode" in checked)) return setErrors(checked);
    dryRun.mutate(checked);
  }

  const current = checkOptions(draft);
  const stale = planned !== null && (!("mode" in current) || !sameOptions(current, planned.options));
  return (
    <>
      <section aria-labelledby="fo-now-heading" className="fo-now">
        <h2 id="fo-now-heading">Readiness now</h2>
        {readiness.data ? (
          <ReadinessVerdict readiness={readiness.data} />
        ) : (
          <p className="muted">{readiness.isError ? "Readiness is unknown." : "Looking at both clusters…"}</p>
        )}
      </section>
      {me !== null && !can("OPERATOR") ? (
        <p className="muted" data-testid="failover-viewer-note">
          Failing over takes the operator or admin role; you can follow runs here.
        </p>
      ) : (
        <>
          <FailoverOptionsForm
            draft={draft}
            onChange={setDraft}
            onDryRun={runDryRun}
            pending={dryRun.isPending}
            errors={errors}
            hasDivergent={(planned?.plan.divergent.length ?? 0) > 0}
            names={names}
          />
          {planned ? (
            <>
              <FailoverPlanView plan={planned.plan} />
              <StartFailover
                flowId={flowId}
                options={planned.options}
                names={names}
                onStarted={onStarted}
                disabledReason={
                  stale
                    ? "The options changed since the dry-run: dry-run again."
                    : planned.plan.refusal
                      ? "The plan is refused (see above)."
                      : null
                }
              />
            </>
          ) : null}
        </>
      )}
    </>
  );
}
