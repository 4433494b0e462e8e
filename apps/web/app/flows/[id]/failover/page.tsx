import { FailoverWizard } from "@/components/failover/failover-wizard.tsx";

/** `?run=<id>` shows that run; without it, the running run if any, else a new failover. */
export default async function FailoverPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ run?: string | string[] }>;
}) {
  const { id } = await params;
  const { run } = await searchParams;
  return (
    <>
      <p>
        <a href={`/flows/${id}`}>← Flow</a>
      </p>
      <FailoverWizard flowId={id} runId={typeof run === "string" ? run : null} />
    </>
  );
}
