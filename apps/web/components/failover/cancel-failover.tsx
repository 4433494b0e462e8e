"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api } from "@/lib/api-client.ts";
import { errorText } from "@/lib/form-errors.ts";
import { refreshAfterFailover } from "@/lib/use-failover.ts";

/** Cancels a run before its point of no return; the next step to start honours it. */
export function CancelFailover({ flowId, runId }: { flowId: string; runId: string }) {
  const client = useQueryClient();
  const cancel = useMutation({
    mutationFn: () => api.cancelFailover(flowId, runId),
    onSuccess: (run) => {
      client.setQueryData(["failover-run", flowId, runId], run);
      refreshAfterFailover(client, flowId);
    },
  });
  return (
    <span className="fo-cancel">
      <button type="button" className="fo-danger" onClick={() => cancel.mutate()} disabled={cancel.isPending}>
        {cancel.isPending ? "Cancelling…" : "Cancel failover"}
      </button>
      <span role="status" className={cancel.isError ? "error-text" : "muted"}>
        {cancel.isError
          ? `Not cancelled: ${errorText(cancel.error)}`
          : cancel.isSuccess
            ? "Cancel requested: the run stops before its next step."
            : null}
      </span>
    </span>
  );
}
