import type { FailoverReport } from "@mirrordeck/contracts";
import { openClusterConnection } from "@mirrordeck/db";
import { readDivergentRecords } from "@mirrordeck/failover";
import { database } from "@/lib/server/database.ts";
import { requireRun } from "@/lib/server/failover/require-run.ts";
import { defineRoute } from "@/lib/server/http/define-route.ts";
import { secretBox } from "@/lib/server/secret-box.ts";

export const dynamic = "force-dynamic";

/**
 * The records an unplanned failover left on the old source, one JSON line each (keys, values and
 * headers base64), streamed: for the operator to inspect and replay, or not.
 */
export const GET = defineRoute("flows.failover-divergent", async ({ params }) => {
  const run = await requireRun(params.id, params.runId);
  const ranges = (run.report as Partial<FailoverReport>).actualLoss?.divergent ?? [];
  const flow = await database().flow.findUniqueOrThrow({
    where: { id: params.id },
    include: { sourceCluster: true },
  });
  const source = openClusterConnection(flow.sourceCluster, secretBox);
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      try {
        for (const range of ranges) {
          await readDivergentRecords(source, range, (record) => {
            controller.enqueue(encoder.encode(`${JSON.stringify(record)}\n`));
          });
        }
      } catch (error) {
        controller.enqueue(encoder.encode(`${JSON.stringify({ error: (error as Error).message })}\n`));
      }
      controller.close();
    },
  });
  return new Response(body, {
    headers: {
      "content-type": "application/x-ndjson",
      "content-disposition": `attachment; filename="divergent-${params.runId}.ndjson"`,
    },
  });
});
