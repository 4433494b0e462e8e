"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useRef } from "react";
import { ApiError, api } from "@/lib/api-client.ts";

/** Asks before deleting a cluster; a cluster flows still use is refused with their names. */
export function DeleteClusterDialog({
  alias,
  onClose,
  onDeleted,
}: {
  alias: string;
  onClose: () => void;
  onDeleted: (alias: string) => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const client = useQueryClient();
  const remove = useMutation({
    mutationFn: () => api.deleteCluster(alias),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ["clusters"] });
      onDeleted(alias);
    },
  });

  useEffect(() => {
    const dialog = ref.current;
    // Removing the element on unmount takes it off the top layer; no close() needed.
    if (dialog && !dialog.open) dialog.showModal();
    // Start on the harmless choice: Enter must not delete by accident.
    cancelRef.current?.focus();
  }, []);

  const error = remove.error;
  const inUse = error instanceof ApiError && error.code === "IN_USE";
  return (
    <dialog
      ref={ref}
      className="confirm-dialog"
      aria-labelledby={titleId}
      onClose={onClose}
      data-testid="delete-cluster-dialog"
    >
      <h2 id={titleId}>Delete cluster {alias}?</h2>
      <p>
        MirrorDeck forgets how to reach it, including its stored secrets. The cluster itself and its topics
        are not touched.
      </p>
      {error ? (
        <div role="alert" className="form-alert">
          <p>{error instanceof ApiError ? error.message : `MirrorDeck did not answer: ${String(error)}`}</p>
          {inUse ? (
            <p>
              <a href="/flows">Go to the flows</a> to delete or change them first.
            </p>
          ) : null}
        </div>
      ) : null}
      <div className="form-actions">
        <button
          type="button"
          className="danger"
          onClick={() => remove.mutate()}
          disabled={remove.isPending || inUse}
        >
          {remove.isPending ? "Deleting…" : "Delete"}
        </button>
        <button ref={cancelRef} type="button" onClick={() => ref.current?.close()}>
          Cancel
        </button>
      </div>
    </dialog>
  );
}
