import { AppError } from "@mirrordeck/contracts";
import { MAX_POINTS_PER_TOPIC, MetricsHistory } from "@mirrordeck/db";
import { database } from "@/lib/server/database.ts";
import { requireFlow } from "@/lib/server/flows/flow-mapping.ts";
import { defineRoute } from "@/lib/server/http/define-route.ts";

export const dynamic = "force-dynamic";

const HOUR_MS = 3_600_000;

/**
 * Per-topic history: `from`/`to` ISO times (default: the last hour), `step` seconds (default 60);
 * at most `maxTopics` topics by name (default 20), the rest merged into "(other topics)".
 */
export const GET = defineRoute("flows.metrics", async ({ params, query }) => {
  await requireFlow(params.id);
  const to = query.to === undefined ? new Date() : new Date(query.to);
  const from = query.from === undefined ? new Date(to.getTime() - HOUR_MS) : new Date(query.from);
  const stepSeconds = query.step ?? 60;
  if (from >= to) throw new AppError("VALIDATION_FAILED", "query.from: must be before to.");
  if ((to.getTime() - from.getTime()) / (stepSeconds * 1000) > MAX_POINTS_PER_TOPIC) {
    throw new AppError(
      "VALIDATION_FAILED",
      `query.step: the range holds more than ${MAX_POINTS_PER_TOPIC} points per topic; use a larger step.`,
    );
  }
  const points = await new MetricsHistory(database()).query(params.id, {
    from,
    to,
    stepSeconds,
    maxTopics: query.maxTopics,
    ...(query.topic !== undefined && { topics: [query.topic] }),
  });
  return Response.json({
    flowId: params.id,
    from: from.toISOString(),
    to: to.toISOString(),
    stepSeconds,
    points,
  });
});
