"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ApiError, api, type FlowAclBinding, type FlowAclView } from "@/lib/api-client.ts";
import { formatSeconds } from "@/lib/format.ts";
import { useMe } from "@/lib/use-me.ts";

const bindingKey = (b: FlowAclBinding) =>
  [b.topic, b.patternType, b.principal, b.host, b.operation, b.permission].join("|");

/**
 * Topic ACL sync of a flow: both clusters' ACLs on the flow's topics side by side, what the next
 * sync creates, what only the target has (left alone), the leader's last and next round, and a
 * sync on demand. Read from the clusters when opened, not from a cache.
 */
export function FlowAcls({ flowId }: { flowId: string }) {
  const { can } = useMe();
  const client = useQueryClient();
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const query = useQuery({
    queryKey: ["flow-acls", flowId],
    queryFn: () => api.flowAcls(flowId),
    refetchInterval: 30_000,
  });
  const sync = useMutation({
    mutationFn: () => api.syncFlowAcls(flowId),
    onSuccess: (result) => {
      setMessage(
        result.problem === null
          ? {
              text: `Sync ran: ${result.created} binding(s) created on ${result.target.alias}.`,
              error: false,
            }
          : { text: result.problem, error: true },
      );
      void client.invalidateQueries({ queryKey: ["flow-acls", flowId] });
      void client.invalidateQueries({ queryKey: ["flow-events", flowId] });
    },
    onError: (error) =>
      setMessage({ text: error instanceof ApiError ? error.message : String(error), error: true }),
  });
  if (query.isPending) return <p className="muted">Reading ACLs from both clusters…</p>;
  if (query.isError) return <p className="error-text">Could not read the ACLs: {query.error.message}</p>;
  const view = query.data;
  return (
    <section aria-label="Topic ACLs" data-testid="flow-acls">
      <div className="section-head">
        <h2>Topic ACLs</h2>
        <button type="button" onClick={() => void query.refetch()} disabled={query.isFetching}>
          {query.isFetching ? "Reading…" : "Read again"}
        </button>
        {can("OPERATOR") && view.enabled ? (
          <button
            type="button"
            className="primary"
            data-testid="acls-sync-now"
            onClick={() => sync.mutate()}
            disabled={sync.isPending}
          >
            {sync.isPending ? "Syncing…" : "Sync now"}
          </button>
        ) : null}
      </div>
      <SyncSchedule view={view} />
      {message ? (
        <p className={message.error ? "error-text" : "muted"} role="status" data-testid="acls-sync-result">
          {message.text}
        </p>
      ) : null}
      <div className="two-columns">
        <AclSide title={`Source: ${view.source.alias}`} side={view.source} testId="acls-source" />
        <AclSide title={`Target: ${view.target.alias}`} side={view.target} testId="acls-target" />
      </div>
      <Difference view={view} />
    </section>
  );
}

function SyncSchedule({ view }: { view: FlowAclView }) {
  const now = Date.now();
  const ago = (at: string) => `${formatSeconds(Math.max(0, now - Date.parse(at)) / 1000)} ago`;
  const mapped = Object.entries(view.principalMap);
  return (
    <>
      <p data-testid="acls-schedule">
        {view.enabled ? (
          <>
            Synced every {formatSeconds(view.intervalSeconds)} by the flow's leader, with MM2's rules: LITERAL
            topic ACLs only, ALLOW ALL becomes ALLOW READ, ALLOW WRITE is never copied, nothing is deleted.{" "}
          </>
        ) : (
          <>Topic ACL sync is off for this flow (sync.topic.acls.enabled=false). </>
        )}
        {view.leader === null ? (
          <span className="muted">No leader has reported a round yet.</span>
        ) : (
          <span>
            Last run: {view.leader.lastRunAt === null ? "not yet" : ago(view.leader.lastRunAt)}
            {view.leader.nextRunAt === null
              ? ""
              : ` · next: ${Date.parse(view.leader.nextRunAt) <= now ? "due now" : `in ${formatSeconds((Date.parse(view.leader.nextRunAt) - now) / 1000)}`}`}
            {` · ${view.leader.createdTotal} created since it took the lead`}
          </span>
        )}
      </p>
      {view.leader?.problem ? (
        <p className="error-text" data-testid="acls-leader-problem">
          Last round: {view.leader.problem}
        </p>
      ) : null}
      {mapped.length > 0 ? (
        <p className="muted">
          Principals renamed on the target:{" "}
          {mapped.map(([from, to]) => (
            <span key={from}>
              <code>{from}</code> → <code>{to}</code>{" "}
            </span>
          ))}
        </p>
      ) : null}
    </>
  );
}

function AclSide({ title, side, testId }: { title: string; side: FlowAclView["source"]; testId: string }) {
  return (
    <div data-testid={testId}>
      <h3>{title}</h3>
      {side.problem !== null ? <p className="error-text">{side.problem}</p> : null}
      {side.bindings !== null && side.bindings.length === 0 ? (
        <p className="muted">No ACL applies to the flow's topics here.</p>
      ) : null}
      {side.bindings !== null && side.bindings.length > 0 ? <BindingTable bindings={side.bindings} /> : null}
    </div>
  );
}

function BindingTable({
  bindings,
  note,
}: {
  bindings: FlowAclBinding[];
  note?: (b: FlowAclBinding) => string;
}) {
  return (
    <table className="data">
      <thead>
        <tr>
          <th scope="col">Topic</th>
          <th scope="col">Principal</th>
          <th scope="col">Operation</th>
          <th scope="col">Permission</th>
          <th scope="col">Host</th>
          {note ? <th scope="col">Next sync</th> : null}
        </tr>
      </thead>
      <tbody>
        {bindings.map((b) => (
          <tr
            key={bindingKey(b)}
            data-testid={`acl-${b.topic}-${b.principal}-${b.operation}-${b.permission}`}
          >
            <td>
              <code>{b.topic}</code>
              {b.patternType === "LITERAL" ? null : (
                <span className="muted"> ({b.patternType.toLowerCase()})</span>
              )}
            </td>
            <td>
              <code>{b.principal}</code>
            </td>
            <td>{b.operation}</td>
            <td>{b.permission}</td>
            <td>{b.host}</td>
            {note ? <td>{note(b)}</td> : null}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Difference({ view }: { view: FlowAclView }) {
  if (view.plan === null) {
    return (
      <p className="muted">The difference needs both clusters' ACLs; see above why one could not be read.</p>
    );
  }
  const { toCreate, present, targetOnly } = view.plan;
  const creating = new Set(toCreate.map(bindingKey));
  const rows = [...toCreate, ...present, ...targetOnly];
  const note = (b: FlowAclBinding) =>
    creating.has(bindingKey(b))
      ? "creates it"
      : targetOnly.some((t) => bindingKey(t) === bindingKey(b))
        ? "target only: left alone"
        : "in place";
  return (
    <div data-testid="acls-difference">
      <h3>
        Difference: {toCreate.length} to create, {present.length} in place, {targetOnly.length} only on the
        target
      </h3>
      {rows.length === 0 ? (
        <p className="muted">Nothing to copy: the source has no LITERAL ACL on the flow's topics.</p>
      ) : (
        <BindingTable bindings={rows} note={note} />
      )}
    </div>
  );
}
