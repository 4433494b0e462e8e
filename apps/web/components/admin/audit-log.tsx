"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { useDeferredValue, useId, useState } from "react";
import { QueryState } from "@/components/query-state.tsx";
import { type AuditItem, api } from "@/lib/api-client.ts";
import { errorText, isForbidden, Refusal, retryUnlessRefused, when } from "./shared.tsx";
import "@/styles/overview.css";

/** The API's page size for /audit (api.audit asks for 100). */
const PAGE_SIZE = 100;

const showValue = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));

function detailsText(details: Record<string, unknown>): string {
  return Object.entries(details)
    .map(([k, v]) => `${k}: ${showValue(v)}`)
    .join(", ");
}

function matches(item: AuditItem, needle: string): boolean {
  if (needle === "") return true;
  return [item.actor, item.action, item.targetType, item.targetId ?? ""].some((field) =>
    field.toLowerCase().includes(needle),
  );
}

/** Who did what, newest first; older pages on demand; a filter over what is loaded. */
export function AuditLog() {
  const query = useInfiniteQuery({
    queryKey: ["audit"],
    queryFn: ({ pageParam }) => api.audit(pageParam),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (last) => (last.items.length < PAGE_SIZE ? undefined : last.items.at(-1)?.id),
    retry: retryUnlessRefused,
  });
  const [filter, setFilter] = useState("");
  const needle = useDeferredValue(filter.trim().toLowerCase());
  const filterId = useId();

  if (query.isError && isForbidden(query.error)) {
    return (
      <>
        <h1>Audit log</h1>
        <Refusal title="Only admins can see the audit log." error={query.error} />
      </>
    );
  }

  const loaded = query.data?.pages.flatMap((p) => p.items) ?? [];
  const rows = loaded.filter((item) => matches(item, needle));

  return (
    <>
      <div className="section-head page-head">
        <h1>Audit log</h1>
        <button
          type="button"
          onClick={() => void query.refetch()}
          disabled={query.isFetching}
          className="push-right"
        >
          {query.isFetching && !query.isFetchingNextPage ? "Refreshing…" : "Refresh"}
        </button>
      </div>
      <p className="muted">
        Every change made through MirrorDeck, by whom and with what outcome. Newest first.
      </p>
      {query.isRefetchError ? (
        <p className="error-text" role="alert">
          Could not refresh: {errorText(query.error)}
        </p>
      ) : null}
      <div className="toolbar">
        <label htmlFor={filterId}>Filter loaded entries</label>
        <input
          id={filterId}
          type="search"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          placeholder="actor, action or target, e.g. tokens."
          data-testid="audit-filter"
          disabled={query.isPending}
        />
        <span className="muted" aria-live="polite" data-testid="audit-count">
          {query.isPending
            ? "\u00a0"
            : needle === ""
              ? `${loaded.length} entr${loaded.length === 1 ? "y" : "ies"} loaded`
              : `${rows.length} of ${loaded.length} loaded entries match`}
        </span>
      </div>
      <QueryState
        query={query}
        loading="Loading the audit log…"
        failed="Could not load the audit log"
        empty={() =>
          loaded.length === 0 ? (
            "Nothing has been recorded yet."
          ) : rows.length === 0 ? (
            <>No loaded entry matches “{filter.trim()}”.</>
          ) : null
        }
      >
        {() => (
          <div className="table-scroll">
            <table className="data audit-table" aria-label="Audit log" data-testid="audit-table">
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">Actor</th>
                  <th scope="col">Action</th>
                  <th scope="col">Target</th>
                  <th scope="col">Outcome</th>
                  <th scope="col">Request id</th>
                  <th scope="col">Details</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((item) => (
                  <tr key={item.id} data-testid="audit-row" data-action={item.action}>
                    <td className="nowrap">
                      <time dateTime={item.at}>{when(item.at)}</time>
                    </td>
                    <td>{item.actor}</td>
                    <td>
                      <code>{item.action}</code>
                    </td>
                    <td>
                      {item.targetType}
                      {item.targetId ? <code className="id-code"> {item.targetId}</code> : null}
                    </td>
                    <td>
                      {item.outcome === "ok" ? (
                        <span className="muted">ok</span>
                      ) : (
                        <span className="badge bad">{item.outcome}</span>
                      )}
                    </td>
                    <td>
                      <code className="id-code">{item.requestId}</code>
                    </td>
                    <td className="details-cell">{detailsText(item.details) || "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </QueryState>
      {query.data !== undefined ? (
        <div className="load-more">
          {query.hasNextPage ? (
            <button
              type="button"
              onClick={() => void query.fetchNextPage()}
              disabled={query.isFetchingNextPage}
            >
              {query.isFetchingNextPage ? "Loading older entries…" : "Load older"}
            </button>
          ) : (
            <span className="muted">
              {loaded.length === 0 ? "\u00a0" : "That is everything: no older entries."}
            </span>
          )}
          {query.isFetchNextPageError ? (
            <span className="error-text" role="alert">
              Could not load older entries: {errorText(query.error)}
            </span>
          ) : null}
        </div>
      ) : null}
    </>
  );
}
