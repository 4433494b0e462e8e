"use client";

import type { FailoverRunView } from "@mirrordeck/contracts";
import { divergentRecordsUrl } from "@/lib/api-client.ts";
import { formatDuration, lossText, rpoBasisText } from "@/lib/failover-words.ts";
import { formatOffset } from "@/lib/format.ts";
import { useMe } from "@/lib/use-me.ts";
import { DivergentRanges } from "./divergent-ranges.tsx";
import { GroupOffsets } from "./group-offsets.tsx";

const TITLE: Record<FailoverRunView["state"], string> = {
  RUNNING: "Failover running",
  SUCCEEDED: "Failover complete",
  FAILED: "Failover failed",
  CANCELLED: "Failover cancelled",
};

/**
 * What a finished run achieved: RTO (and how much of it was waiting for people), RPO with its
 * basis, the offsets each group got, the reverse flow, and what was lost, with the records to
 * export when an unplanned failover left some behind.
 */
export function FailoverReportCard({ flowId, run }: { flowId: string; run: FailoverRunView }) {
  const { can } = useMe();
  const r = run.report;
  const divergent = r.actualLoss?.divergent ?? [];
  return (
    <section className="card fo-report" aria-labelledby="fo-report-heading" data-testid="failover-report">
      <h2 id="fo-report-heading">
        {TITLE[run.state]}
        {run.state === "SUCCEEDED" && r.activeAlias ? `: ${r.activeAlias} is the active side` : ""}
      </h2>
      {run.error ? <p className="error-text">{run.error}</p> : null}
      {run.state === "SUCCEEDED" ? null : (
        <p data-testid="report-active-side">
          Active side: {r.activeAlias ?? "unchanged"}. The steps above say what was done.
        </p>
      )}
      {run.state !== "SUCCEEDED" ? null : (
        <dl className="facts">
          <dt>RTO</dt>
          <dd data-testid="report-rto" data-seconds={r.rtoSeconds ?? ""}>
            {formatDuration(r.rtoSeconds)}
          </dd>
          <dt>Of which waiting for people</dt>
          <dd data-testid="report-operator-wait">{formatDuration(r.operatorWaitSeconds)}</dd>
          <dt>RPO</dt>
          <dd data-testid="report-rpo" data-records={r.rpoRecords ?? ""}>
            {r.rpoRecords == null ? "unknown" : `${formatOffset(r.rpoRecords)} records`}
            {r.rpoSeconds == null ? "" : `, ${formatDuration(r.rpoSeconds)}`} ({rpoBasisText(r.rpoBasis)})
          </dd>
          <dt>Estimated loss</dt>
          <dd>{run.mode === "planned" ? "none: the run drains first" : lossText(r.estimatedLoss)}</dd>
          <dt>Actual loss</dt>
          <dd data-testid="report-actual-loss">
            {r.actualLoss
              ? `${lossText(r.actualLoss)}, measured ${new Date(r.actualLoss.measuredAt).toLocaleString("en-GB")}`
              : run.mode === "planned"
                ? "none: every record was drained"
                : "measured once the old source answers again"}
          </dd>
          <dt>Active side</dt>
          <dd data-testid="report-active-side">{r.activeAlias ?? "unchanged"}</dd>
          <dt>Reverse flow</dt>
          <dd>
            {r.reverseFlow ? (
              <>
                <a href={`/flows/${r.reverseFlow.id}`} data-testid="report-reverse-flow">
                  {r.reverseFlow.name}
                </a>{" "}
                ({r.reverseFlow.created ? "created" : "resumed"})
              </>
            ) : (
              "none"
            )}
          </dd>
        </dl>
      )}
      {r.handedOver && r.handedOver.length > 0 ? (
        <>
          <h3 className="fo-subhead">Offsets handed over</h3>
          <GroupOffsets groups={r.handedOver} label="Offsets handed over" testIdPrefix="handed-over" />
        </>
      ) : null}
      {divergent.length > 0 ? (
        <>
          <h3 className="fo-subhead">Records that never reached the target</h3>
          <DivergentRanges ranges={divergent} label="Records that never reached the target" />
          {can("OPERATOR") ? (
            <p>
              <a href={divergentRecordsUrl(flowId, run.id)} download data-testid="divergent-export">
                Export these records (NDJSON)
              </a>
            </p>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
