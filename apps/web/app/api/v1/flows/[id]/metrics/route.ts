import { AppError } from "@mirrordeck/contracts";
import { MAX_POINTS_PER_TOPIC, MetricsHistory } from "@mirrordeck/db";
import { database } from "@/lib/server/database.ts";
import { requireFlow } from "@/lib/server/flows/flow-mapping.ts";
import { defineRoute } from "@/lib/server/http/define-route.ts";
import { sharedRead } from "@/lib/server/shared-read.ts";

export const dynamic = "force-dynamic";

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
/** Workers add to the current minute every few seconds; a chart refreshes every minute. */
const HISTORY_FRESH_MS = 5_000;

const floorMinute = (d: Date) => new Date(Math.floor(d.getTime() / MINUTE_MS) * MINUTE_MS);
const ceilMinute = (d: Date) => new Date(Math.ceil(d.getTime() / MINUTE_MS) * MINUTE_MS);

/**
 * Per-topic history: `from`/`to` ISO times (default: the last hour), `step` seconds (default 60);
 * at most `maxTopics` topics by name (default 20), the rest merged into "(other topics)".
 */
export const GET = defineRoute("flows.metrics", async ({ params, query }) => {
  await requireFlow(params.id);
  const asked = {
    to: query.to === undefined ? new Date() : new Date(query.to),
    from: query.from === undefined ? undefined : new Date(query.from),
  };
  const askedFrom = asked.from ?? new Date(asked.to.getTime() - HOUR_MS);
  const stepSeconds = query.step ?? 60;
  if (askedFrom >= asked.to) throw new AppError("VALIDATION_FAILED", "query.from: must be before to.");
  if ((asked.to.getTime() - askedFrom.getTime()) / (stepSeconds * 1000) > MAX_POINTS_PER_TOPIC) {
    throw new AppError(
      "VALIDATION_FAILED",
      `query.step: the range holds more than ${MAX_POINTS_PER_TOPIC} points per topic; use a larger step.`,
    );
  }
  // History is kept per minute: whole minutes lose nothing, and make a chart's refreshes (and
  // everyone looking at the same flow) ask the same question, answered once per HISTORY_FRESH_MS.
  const rounded = { from: floorMinute(askedFrom), to: ceilMinute(asked.to) };
  const fits =
    (rounded.to.getTime() - rounded.from.getTime()) / (Math.max(stepSeconds, 60) * 1000) <=
    MAX_POINTS_PER_TOPIC;
  const { from, to } = fits ? rounded : { from: askedFrom, to: asked.to };
  const question = [
    params.id,
    from.toISOString(),
    to.toISOString(),
    stepSeconds,
    query.maxTopics,
    query.topic,
  ];
  const points = await sharedRead(
    `history:${JSON.stringify(question)}`,
    () =>
      new MetricsHistory(database()).query(params.id, {
        from,
        to,
        stepSeconds,
        maxTopics: query.maxTopics,
        ...(query.topic !== undefined && { topics: [query.topic] }),
      }),
    HISTORY_FRESH_MS,
  );
  return Response.json({
    flowId: params.id,
    from: from.toISOString(),
    to: to.toISOString(),
    stepSeconds,
    points,
  });
});
