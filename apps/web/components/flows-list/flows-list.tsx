"use client";

import "@/styles/flows.css";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { FlowStateBadge } from "@/components/flow-state-badge.tsx";
import { ApiError, api, type FlowListItem } from "@/lib/api-client.ts";
import { formatCount, formatRate, formatSeconds } from "@/lib/format.ts";
import { useMe } from "@/lib/use-me.ts";
import { Sparkline } from "./sparkline.tsx";
import { type RatePoint, useRateSeries } from "./use-rate-series.ts";

const COLUMNS = ["Flow", "Direction", "State", "Throughput", "Max lag", "Heartbeat"];

type Action = "start" | "pause" | "resume";

/** What an operator can do now: pause a running flow, resume a paused one, start the others. */
function actionFor(flow: FlowListItem): Action {
  if (flow.enabled) return "pause";
  return flow.state === "PAUSED" ? "resume" : "start";
}

const capital = (s: string) => `${s[0]?.toUpperCase() ?? ""}${s.slice(1)}`;

/** /flows: every flow with its state, a throughput sparkline, lag and heartbeat, refreshed every 5 s. */
export function FlowsList() {
  const { can } = useMe();
  const query = useQuery({ queryKey: ["flows"], queryFn: api.flows, refetchInterval: 5_000 });
  const series = useRateSeries(query.data?.items, query.dataUpdatedAt);
  const operator = can("OPERATOR");
  return (
    <>
      <div className="section-head fl-head">
        <h1>Flows</h1>
        <span className="muted" data-testid="flows-updated">
          {query.dataUpdatedAt > 0
            ? `Updated ${new Date(query.dataUpdatedAt).toLocaleTimeString("en-GB")} · every 5 s`
            : ""}
        </span>
        {can("ADMIN") ? (
          <Link className="button-link primary" href="/flows/new" data-testid="new-flow">
            New flow
          </Link>
        ) : null}
      </div>
      {query.isError && query.data !== undefined ? (
        <p className="error-text" role="status">
          Could not refresh: {query.error.message}. Showing the figures from before.
        </p>
      ) : null}
      {query.isPending ? (
        <FlowsSkeleton />
      ) : query.data === undefined ? (
        <p className="error-text">Could not load the flows: {query.error?.message}</p>
      ) : query.data.items.length === 0 ? (
        <div className="card fl-empty" data-testid="flows-empty">
          <p>No flows yet. A flow copies topics and consumer-group positions from one cluster to another.</p>
          {can("ADMIN") ? (
            <p>
              <Link href="/flows/new">Create the first flow</Link>
            </p>
          ) : (
            <p className="muted">An admin can create one.</p>
          )}
        </div>
      ) : (
        <table className="data fl-table" aria-label="Flows" data-testid="flows-table">
          <FlowsHead actions={operator} />
          <tbody>
            {query.data.items.map((flow) => (
              <FlowRow key={flow.id} flow={flow} points={series.get(flow.id) ?? []} operator={operator} />
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

/** The column headers, and a hidden one over the row buttons when there are any. */
function FlowsHead({ actions }: { actions: boolean }) {
  return (
    <thead>
      <tr>
        {COLUMNS.map((c) => (
          <th key={c} scope="col">
            {c}
          </th>
        ))}
        {actions ? (
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        ) : null}
      </tr>
    </thead>
  );
}

function FlowsSkeleton() {
  return (
    <table className="data fl-table" aria-label="Flows" aria-busy="true">
      <FlowsHead actions={false} />
      <tbody>
        {[0, 1, 2].map((i) => (
          <tr key={i} className="fl-row">
            {COLUMNS.map((c) => (
              <td key={c}>
                <span className="skeleton fl-skeleton">
                  {i === 0 && c === "Flow" ? "Loading flows…" : "—"}
                </span>
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function FlowRow({ flow, points, operator }: { flow: FlowListItem; points: RatePoint[]; operator: boolean }) {
  const { live } = flow;
  const running = live.workers > 0;
  return (
    <tr className="fl-row" data-testid={`flow-row-${flow.name}`}>
      <td>
        <a href={`/flows/${flow.id}`} className="fl-name">
          {flow.name}
        </a>
        <div className="muted fl-topics" title={flow.topicsInclude}>
          <code>{flow.topicsInclude}</code>
        </div>
      </td>
      <td className="fl-nowrap">
        {flow.sourceAlias} → {flow.targetAlias}
      </td>
      <td>
        <FlowStateBadge flow={flow} testId="flow-state" />
        {flow.firingAlerts > 0 ? (
          <span className="badge bad" data-testid="flow-alerts-badge">
            {flow.firingAlerts} alert{flow.firingAlerts === 1 ? "" : "s"} firing
          </span>
        ) : null}
        {flow.state === "ERROR" && flow.stateReason ? (
          <div className="error-text fl-reason" data-testid="flow-state-reason">
            {flow.stateReason}
          </div>
        ) : null}
      </td>
      <td>
        <div className="fl-throughput">
          <Sparkline points={points} label={`${flow.name} throughput`} />
          <span className="fl-figure" data-testid="flow-throughput">
            {running ? formatRate(live.recordsPerSec) : "—"}
          </span>
        </div>
      </td>
      <td className="fl-figure" data-testid="flow-lag">
        {!running || live.lagRecords === null ? (
          "—"
        ) : live.lagRecords === 0 ? (
          "caught up"
        ) : (
          <>
            {formatCount(live.lagRecords)} rec
            <div className="muted">{formatSeconds(live.maxLagSeconds ?? 0)} behind</div>
          </>
        )}
      </td>
      <td data-testid="flow-heartbeat">
        {flow.heartbeat === null ? (
          <span className="muted">—</span>
        ) : flow.heartbeat.ageMs === null ? (
          <span className={`badge ${flow.heartbeat.stale ? "bad" : "neutral"}`}>
            {flow.heartbeat.stale ? "stale: none yet" : "waiting"}
          </span>
        ) : (
          <>
            <span className="fl-figure">{formatSeconds(flow.heartbeat.ageMs / 1000)} ago</span>{" "}
            {flow.heartbeat.stale ? <span className="badge bad">stale</span> : null}
          </>
        )}
      </td>
      {operator ? (
        <td>
          <RowAction flow={flow} />
        </td>
      ) : null}
    </tr>
  );
}

function RowAction({ flow }: { flow: FlowListItem }) {
  const client = useQueryClient();
  const [message, setMessage] = useState<{ text: string; bad: boolean } | null>(null);
  const action = actionFor(flow);
  const mutation = useMutation({
    mutationFn: (which: Action) => api.flowAction(flow.id, which),
    onSuccess: (_data, which) => {
      setMessage({ text: `${capital(which)} requested.`, bad: false });
      void client.invalidateQueries({ queryKey: ["flows"] });
      void client.invalidateQueries({ queryKey: ["flow", flow.id] });
    },
    onError: (error) =>
      setMessage({ text: error instanceof ApiError ? error.message : String(error), bad: true }),
  });
  return (
    <div className="fl-action">
      <button
        type="button"
        onClick={() => {
          setMessage(null);
          mutation.mutate(action);
        }}
        disabled={mutation.isPending}
        aria-label={`${capital(action)} ${flow.name}`}
      >
        {mutation.isPending ? "…" : capital(action)}
      </button>
      <span role="status" className={message?.bad ? "error-text" : "muted"}>
        {message?.text ?? ""}
      </span>
    </div>
  );
}
