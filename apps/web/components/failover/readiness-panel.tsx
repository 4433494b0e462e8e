"use client";

import type { FailoverReadiness } from "@mirrordeck/contracts";
import { QueryState } from "@/components/query-state.tsx";
import { formatDuration } from "@/lib/failover-words.ts";
import { errorText } from "@/lib/form-errors.ts";
import { formatOffset } from "@/lib/format.ts";
import { useReadiness } from "@/lib/use-failover.ts";
import { useMe } from "@/lib/use-me.ts";
import { ReadinessGroups } from "./readiness-groups.tsx";
import { ReadinessPartitions } from "./readiness-partitions.tsx";
import { ReadinessTopics } from "./readiness-topics.tsx";
import { ReadinessVerdict } from "./readiness-verdict.tsx";
import "@/styles/failover.css";

/**
 * Could this flow fail over now, and what would it cost: always on the flow page, refreshed every
 * 5 s, so an operator knows before an incident, not during one.
 */
export function ReadinessPanel({ flowId }: { flowId: string }) {
  const query = useReadiness(flowId);
  const { can } = useMe();
  const readiness = query.data;
  return (
    <section className="fo-panel" aria-labelledby="readiness-heading" data-testid="readiness-panel">
      <div className="section-head fo-panel-head">
        <h2 id="readiness-heading">Failover readiness</h2>
        {readiness ? <ActiveSide readiness={readiness} /> : null}
        {can("OPERATOR") ? (
          <a className="button-link fo-primary fo-head-action" href={`/flows/${flowId}/failover`}>
            {readiness?.runningFailover ? "Follow the running failover" : "Fail over…"}
          </a>
        ) : null}
      </div>
      <QueryState query={query} loading="Looking at both clusters…" failed="Could not check readiness">
        {(r) => (
          <>
            {query.isError ? (
              <p className="error-text" role="alert">
                Could not refresh (showing {new Date(r.at).toLocaleTimeString("en-GB")}):{" "}
                {errorText(query.error)}
              </p>
            ) : null}
            <ReadinessVerdict readiness={r} />
            <Totals readiness={r} />
            <h3 className="fo-subhead">Partitions</h3>
            <ReadinessPartitions partitions={r.partitions} />
            <h3 className="fo-subhead">Consumer groups</h3>
            <ReadinessGroups groups={r.groups} />
            <h3 className="fo-subhead">Topics</h3>
            <ReadinessTopics topics={r.topics} />
          </>
        )}
      </QueryState>
    </section>
  );
}

/** Which cluster applications use now: the source until a failover makes it the target. */
function ActiveSide({ readiness }: { readiness: FailoverReadiness }) {
  const onTarget = readiness.activeAlias === readiness.targetAlias;
  return (
    <span
      className="fo-active"
      data-testid="readiness-active-side"
      data-side={onTarget ? "target" : "source"}
    >
      Active side: <strong>{readiness.activeAlias}</strong> ({onTarget ? "the target" : "the source"})
    </span>
  );
}

function Totals({ readiness }: { readiness: FailoverReadiness }) {
  const { totals } = readiness;
  return (
    <dl className="kpis" aria-label="Readiness figures">
      <div>
        <dt>Lag</dt>
        <dd data-testid="readiness-lag">
          {totals.lagRecords === 0 ? "caught up" : `${formatOffset(totals.lagRecords)} records`}
        </dd>
      </div>
      <div>
        <dt>Max lag</dt>
        <dd>{totals.lagRecords === 0 ? "0 s" : formatDuration(totals.maxLagSeconds)}</dd>
      </div>
      <div>
        <dt>Heartbeat age</dt>
        <dd>{formatDuration(readiness.heartbeatAgeSeconds)}</dd>
      </div>
      <div>
        <dt>Partitions</dt>
        <dd>{totals.partitions}</dd>
      </div>
      <div>
        <dt>Checked</dt>
        <dd>
          <time dateTime={readiness.at}>{new Date(readiness.at).toLocaleTimeString("en-GB")}</time>
        </dd>
      </div>
    </dl>
  );
}
