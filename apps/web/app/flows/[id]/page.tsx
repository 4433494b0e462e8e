import { FlowDetailView } from "@/components/flow-detail/flow-detail.tsx";

export default async function FlowPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <>
      <p>
        <a href="/flows">← Flows</a>
      </p>
      <FlowDetailView flowId={id} />
    </>
  );
}
