import { replicatedHeartbeatHealth, summariseFlowSnapshots } from "@mirrordeck/contracts";
import { findFlow } from "@mirrordeck/db";
import { database } from "@/lib/server/database.ts";
import { requireFlow } from "@/lib/server/flows/flow-mapping.ts";
import { defineRoute } from "@/lib/server/http/define-route.ts";
import { flowLeaderStatus } from "@/lib/server/leader-status.ts";
import { latestFlowSnapshots } from "@/lib/server/live-metrics.ts";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const UPDATE_MS = 2_000;
const PING_MS = 15_000;

/**
 * Live metrics as Server-Sent Events: `metrics` (per-partition snapshots and the summary) every
 * 2 s, `state` when the flow's state changes, a comment ping every 15 s so proxies keep the
 * connection; everything stops when the client goes away.
 */
export const GET = defineRoute("flows.stream", async ({ params, request }) => {
  await requireFlow(params.id);
  const encoder = new TextEncoder();
  let timers: NodeJS.Timeout[] = [];
  const stop = () => {
    for (const t of timers) clearInterval(t);
    timers = [];
  };
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let lastState = "";
      const send = (event: string, data: unknown) => {
        try {
          controller.enqueue(encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`));
        } catch {
          stop();
        }
      };
      const tick = async () => {
        const [flow, snapshots, leader] = await Promise.all([
          findFlow(database(), params.id),
          latestFlowSnapshots(params.id).catch(() => []),
          flowLeaderStatus(params.id).catch(() => null),
        ]);
        if (flow === null) {
          send("deleted", { flowId: params.id });
          stop();
          controller.close();
          return;
        }
        const state = `${flow.state}|${flow.stateReason ?? ""}|${flow.version}`;
        if (state !== lastState) {
          lastState = state;
          send("state", {
            state: flow.state,
            stateReason: flow.stateReason,
            version: flow.version,
            enabled: flow.enabled,
          });
        }
        send("metrics", {
          at: new Date().toISOString(),
          summary: summariseFlowSnapshots(snapshots),
          heartbeat: replicatedHeartbeatHealth(leader, Date.now()),
          snapshots,
        });
      };
      controller.enqueue(encoder.encode(`retry: 3000\n\n`));
      void tick().catch(() => {});
      timers.push(setInterval(() => void tick().catch(() => {}), UPDATE_MS));
      timers.push(
        setInterval(() => {
          try {
            controller.enqueue(encoder.encode(": ping\n\n"));
          } catch {
            stop();
          }
        }, PING_MS),
      );
      request.signal.addEventListener("abort", () => {
        stop();
        try {
          controller.close();
        } catch {}
      });
    },
    cancel: stop,
  });
  return new Response(stream, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    },
  });
});
