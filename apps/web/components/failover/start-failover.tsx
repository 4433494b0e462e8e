"use client";

import type { FailoverOptions, FailoverRunView } from "@mirrordeck/contracts";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { ApiError, api } from "@/lib/api-client.ts";
import { errorText } from "@/lib/form-errors.ts";
import { refreshAfterFailover } from "@/lib/use-failover.ts";

/**
 * "Start failover", then a question in place before anything happens: the run changes which
 * cluster applications use. A refusal (another run, no-go) is said in words.
 */
export function StartFailover({
  flowId,
  options,
  disabledReason,
  names,
  onStarted,
}: {
  flowId: string;
  options: FailoverOptions;
  /** Why starting is not possible now (refused plan, options changed since the dry-run). */
  disabledReason: string | null;
  names: { source: string; target: string };
  onStarted: (run: FailoverRunView) => void;
}) {
  const client = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const confirmButton = useRef<HTMLButtonElement>(null);
  const start = useMutation({
    mutationFn: () => api.startFailover(flowId, options),
    onSuccess: (run) => {
      refreshAfterFailover(client, flowId);
      onStarted(run);
    },
    onError: (error) => {
      setConfirming(false);
      // Another run may be going on: the wizard shows it once the list is fresh.
      if (error instanceof ApiError && error.code === "FAILOVER_RUNNING")
        refreshAfterFailover(client, flowId);
    },
  });
  useEffect(() => {
    if (confirming) confirmButton.current?.focus();
  }, [confirming]);

  return (
    <div className="fo-start" data-testid="start-failover">
      {confirming ? (
        <fieldset className="fo-confirm">
          <legend>
            Start the {options.mode} failover from {names.source} to {names.target}? The steps ask you to act;
            from the handover on it cannot be cancelled.
          </legend>
          <button
            type="button"
            ref={confirmButton}
            className="fo-primary"
            onClick={() => start.mutate()}
            disabled={start.isPending}
          >
            {start.isPending ? "Starting…" : "Yes, start the failover"}
          </button>
          <button type="button" onClick={() => setConfirming(false)} disabled={start.isPending}>
            Back
          </button>
        </fieldset>
      ) : (
        <div className="fo-actions">
          <button
            type="button"
            className="fo-primary"
            onClick={() => {
              start.reset();
              setConfirming(true);
            }}
            disabled={disabledReason !== null}
            aria-describedby={disabledReason ? "fo-start-why" : undefined}
          >
            Start failover
          </button>
          {disabledReason ? (
            <span id="fo-start-why" className="muted">
              {disabledReason}
            </span>
          ) : null}
        </div>
      )}
      {start.isError ? (
        <p className="error-text" role="alert">
          Not started: {errorText(start.error)}
        </p>
      ) : null}
    </div>
  );
}
