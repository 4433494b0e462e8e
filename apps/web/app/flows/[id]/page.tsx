import { FlowGroups } from "@/components/flow-groups.tsx";

export default async function FlowPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return (
    <>
      <p>
        <a href="/">← Overview</a>
      </p>
      <h1>Flow</h1>
      <FlowGroups flowId={id} />
    </>
  );
}
