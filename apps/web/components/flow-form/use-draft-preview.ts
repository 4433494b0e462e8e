"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { ApiError, api, type FlowPreview } from "@/lib/api-client.ts";
import { type FlowDraft, previewInput } from "./flow-draft.ts";

const DEBOUNCE_MS = 400;

/** `value` once it has stopped changing for `delayMs` (compared by content). */
function useDebounced<T>(value: T, delayMs: number): T {
  const key = JSON.stringify(value);
  const [debounced, setDebounced] = useState(key);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(key), delayMs);
    return () => clearTimeout(timer);
  }, [key, delayMs]);
  return JSON.parse(debounced) as T;
}

export interface DraftPreviewState {
  /** Both clusters chosen and different: there is something to preview. */
  ready: boolean;
  /** The last preview that came back; kept (dimmed) while the next one loads or when it fails. */
  preview: FlowPreview | null;
  /** Why the latest selection could not be previewed (an invalid pattern, an unreachable source…). */
  error: ApiError | null;
  /** Typing, waiting for the debounce or for the API. */
  updating: boolean;
}

/** The live preview of what the draft's patterns select on the source, 400 ms after typing stops. */
export function useDraftPreview(draft: FlowDraft): DraftPreviewState {
  const selection = previewInput(draft);
  const debounced = useDebounced(selection, DEBOUNCE_MS);
  const ready =
    debounced.sourceAlias !== "" &&
    debounced.targetAlias !== "" &&
    debounced.sourceAlias !== debounced.targetAlias;
  const query = useQuery({
    queryKey: ["flow-preview-draft", debounced],
    queryFn: () => api.previewDraftFlow(debounced),
    enabled: ready,
    retry: false,
    staleTime: 15_000,
  });
  const [last, setLast] = useState<{ preview: FlowPreview | null; error: ApiError | null }>({
    preview: null,
    error: null,
  });
  useEffect(() => {
    if (query.data !== undefined) setLast({ preview: query.data, error: null });
  }, [query.data]);
  useEffect(() => {
    if (query.error === null) return;
    const error =
      query.error instanceof ApiError ? query.error : new ApiError("NETWORK", query.error.message, 0);
    setLast((previous) => ({ preview: previous.preview, error }));
  }, [query.error]);
  const typing = JSON.stringify(selection) !== JSON.stringify(debounced);
  return {
    ready,
    preview: ready ? last.preview : null,
    error: ready ? last.error : null,
    updating: ready && (typing || query.isFetching),
  };
}
