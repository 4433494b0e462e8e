"use client";

import { useQuery } from "@tanstack/react-query";
import { api } from "@/lib/api-client.ts";

const when = (iso: string) => new Date(iso).toLocaleString("en-GB");
const show = (value: unknown) => (typeof value === "string" ? value || "(empty)" : JSON.stringify(value));

/** State changes, errors and operator actions, newest first. */
export function FlowEvents({ flowId }: { flowId: string }) {
  const query = useQuery({
    queryKey: ["flow-events", flowId],
    queryFn: () => api.flowEvents(flowId),
    refetchInterval: 10_000,
  });
  return (
    <section aria-labelledby="events-heading">
      <h2 id="events-heading">Events</h2>
      {query.isPending ? (
        <p className="muted">Loading events…</p>
      ) : query.isError ? (
        <p className="error-text">Could not load events: {query.error.message}</p>
      ) : query.data.items.length === 0 ? (
        <p className="muted">No events yet.</p>
      ) : (
        <ol className="timeline" data-testid="flow-events">
          {query.data.items.slice(0, 50).map((e) => (
            <li key={e.id} className={e.kind.includes("error") ? "bad" : undefined}>
              <time dateTime={e.at}>{when(e.at)}</time> <code>{e.kind}</code> {e.message}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/** Every edit of the flow, with who made it and what changed. */
export function FlowRevisions({ flowId }: { flowId: string }) {
  const query = useQuery({ queryKey: ["flow-revisions", flowId], queryFn: () => api.flowRevisions(flowId) });
  return (
    <section aria-labelledby="revisions-heading">
      <h2 id="revisions-heading">Revisions</h2>
      {query.isPending ? (
        <p className="muted">Loading revisions…</p>
      ) : query.isError ? (
        <p className="error-text">Could not load revisions: {query.error.message}</p>
      ) : (
        <ol className="timeline" data-testid="flow-revisions">
          {query.data.items.map((r) => (
            <li key={r.version}>
              <strong>v{r.version}</strong> · <time dateTime={r.at}>{when(r.at)}</time> · {r.actor}
              {r.version === 1 ? (
                <span className="muted"> · created</span>
              ) : (
                <table className="diff" aria-label={`Changes in version ${r.version}`}>
                  <tbody>
                    {Object.entries(r.diff).map(([field, change]) => (
                      <tr key={field}>
                        <th scope="row">{field}</th>
                        <td className="removed">{show(change.from)}</td>
                        <td className="added">{show(change.to)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
