"use client";

import type { FailoverMode, FailoverOptions } from "@mirrordeck/contracts";
import type { FormEvent } from "react";
import { RadioGroup, TextField } from "@/components/flow-form/fields.tsx";
import type { FormErrors } from "@/lib/form-errors.ts";
import "@/styles/flows.css";

/** The wizard's choices as typed: the quiet period stays text until it is checked. */
export interface OptionsDraft {
  mode: FailoverMode;
  quietPeriodSeconds: string;
  createReverseFlow: boolean;
  divergentRecords: FailoverOptions["divergentRecords"];
}

export const DEFAULT_OPTIONS: OptionsDraft = {
  mode: "planned",
  quietPeriodSeconds: "10",
  createReverseFlow: true,
  divergentRecords: "skip",
};

export type OptionsErrors = FormErrors<"quietPeriodSeconds">;

/** The request's options, or what is wrong with the draft (same bounds as the API). */
export function checkOptions(draft: OptionsDraft): FailoverOptions | OptionsErrors {
  const quiet = Number(draft.quietPeriodSeconds.trim());
  if (!/^\d+$/.test(draft.quietPeriodSeconds.trim()) || quiet < 1 || quiet > 600) {
    return { quietPeriodSeconds: "A whole number of seconds from 1 to 600." };
  }
  return { ...draft, quietPeriodSeconds: quiet };
}

/** Mode, quiet period, reverse flow (and divergent records when there are any), then "Dry-run". */
export function FailoverOptionsForm({
  draft,
  onChange,
  onDryRun,
  pending,
  errors,
  hasDivergent,
  names,
}: {
  draft: OptionsDraft;
  onChange: (draft: OptionsDraft) => void;
  onDryRun: () => void;
  pending: boolean;
  errors: OptionsErrors;
  /** A dry-run found records of an earlier failover that never crossed: ask what to do with them. */
  hasDivergent: boolean;
  names: { source: string; target: string };
}) {
  const set = <K extends keyof OptionsDraft>(key: K, value: OptionsDraft[K]) =>
    onChange({ ...draft, [key]: value });
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    onDryRun();
  }
  return (
    <form className="fo-options card" onSubmit={submit} aria-labelledby="fo-options-heading" noValidate>
      <h2 id="fo-options-heading">Options</h2>
      <div className="fo-options-grid">
        <RadioGroup
          name="failover-mode"
          legend="Mode"
          value={draft.mode}
          onChange={(mode) => set("mode", mode)}
          options={[
            {
              value: "planned",
              label: `Planned: ${names.source} is reachable; stop, drain, hand over (no loss)`,
            },
            {
              value: "unplanned",
              label: `Unplanned: ${names.source} is lost; hand over from the last checkpoints`,
            },
          ]}
        />
        <TextField
          id="fo-quiet-period"
          label="Quiet period"
          unit="s"
          numeric
          value={draft.quietPeriodSeconds}
          onChange={(value) => set("quietPeriodSeconds", value)}
          hint={`Producers count as stopped once ${names.source}'s end offsets stand still this long.`}
          error={errors.quietPeriodSeconds}
          disabled={draft.mode === "unplanned"}
        />
        <div className="fo-check">
          <label>
            <input
              type="checkbox"
              checked={draft.createReverseFlow}
              onChange={(e) => set("createReverseFlow", e.target.checked)}
            />{" "}
            Create the reverse flow ({names.target} → {names.source}) for failback
          </label>
        </div>
        {hasDivergent ? (
          <RadioGroup
            name="failover-divergent"
            legend="Records that never crossed in the last failover"
            value={draft.divergentRecords}
            onChange={(value) => set("divergentRecords", value)}
            options={[
              { value: "skip", label: "Skip them (export them from that run's report)" },
              { value: "include", label: "Include them" },
            ]}
          />
        ) : null}
      </div>
      {errors.form ? (
        <p className="error-text" role="alert">
          {errors.form}
        </p>
      ) : null}
      <div className="fo-actions">
        <button type="submit" className="fo-primary" disabled={pending}>
          {pending ? "Planning…" : "Dry-run"}
        </button>
        <span className="muted">Shows what would happen; changes nothing.</span>
      </div>
    </form>
  );
}
