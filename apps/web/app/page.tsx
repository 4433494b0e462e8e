import { ClusterCards } from "@/components/cluster-cards.tsx";
import { FlowTable } from "@/components/flow-table.tsx";

export default function OverviewPage() {
  return (
    <>
      <h1>Overview</h1>
      <h2>Clusters</h2>
      <ClusterCards />
      <h2>Flows</h2>
      <FlowTable />
    </>
  );
}
