"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { FailoverHistory } from "@/components/failover/failover-history.tsx";
import { ReadinessPanel } from "@/components/failover/readiness-panel.tsx";
import { FlowGroups } from "@/components/flow-groups.tsx";
import { api } from "@/lib/api-client.ts";
import { useFlowStream } from "@/lib/use-flow-stream.ts";
import { FlowAcls } from "./flow-acls.tsx";
import { FlowAlerts } from "./flow-alerts.tsx";
import { FlowCharts } from "./flow-charts.tsx";
import { FlowHeader } from "./flow-header.tsx";
import { FlowEvents, FlowRevisions } from "./flow-history.tsx";
import { PartitionTable } from "./partition-table.tsx";

/**
 * One flow: live figures and charts, alert rules, partitions, consumer groups, failover readiness and past
 * failovers, events and revisions.
 */
const TABS = [
  { id: "overview", label: "Overview" },
  { id: "acls", label: "Topic ACLs" },
] as const;
type TabId = (typeof TABS)[number]["id"];

export function FlowDetailView({ flowId }: { flowId: string }) {
  const flow = useQuery({ queryKey: ["flow", flowId], queryFn: () => api.flow(flowId) });
  const live = useFlowStream(flowId);
  const [tab, setTab] = useState<TabId>("overview");
  if (flow.isPending) return <p className="muted">Loading the flow…</p>;
  if (flow.isError) return <p className="error-text">Could not load the flow: {flow.error.message}</p>;
  return (
    <>
      <FlowHeader flow={flow.data} live={live} />
      <div className="segmented tabs" role="tablist" aria-label="Flow sections">
        {TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`flow-tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={`flow-panel-${t.id}`}
            onClick={() => setTab(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      {tab === "acls" ? (
        <div role="tabpanel" id="flow-panel-acls" aria-labelledby="flow-tab-acls">
          <FlowAcls flowId={flowId} />
        </div>
      ) : (
        <div role="tabpanel" id="flow-panel-overview" aria-labelledby="flow-tab-overview">
          <Overview flowId={flowId} live={live} />
        </div>
      )}
    </>
  );
}

function Overview({ flowId, live }: { flowId: string; live: ReturnType<typeof useFlowStream> }) {
  return (
    <>
      <FlowCharts flowId={flowId} series={live.series} />
      <FlowAlerts flowId={flowId} />
      <PartitionTable partitions={live.partitions} />
      <FlowGroups flowId={flowId} />
      <ReadinessPanel flowId={flowId} />
      <FailoverHistory flowId={flowId} />
      <div className="two-columns">
        <FlowEvents flowId={flowId} />
        <FlowRevisions flowId={flowId} />
      </div>
    </>
  );
}
