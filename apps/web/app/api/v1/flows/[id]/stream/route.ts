import { replicatedHeartbeatHealth, summariseFlowSnapshots } from "@mirrordeck/contracts";
import { findFlow } from "@mirrordeck/db";
import { database } from "@/lib/server/database.ts";
import { requireFlow } from "@/lib/server/flows/flow-mapping.ts";
import { authenticate } from "@/lib/server/http/authenticate.ts";
import { defineRoute } from "@/lib/server/http/define-route.ts";
import { flowLeaderStatus } from "@/lib/server/leader-status.ts";
import { latestFlowSnapshots } from "@/lib/server/live-metrics.ts";
import { countLiveStream } from "@/lib/server/prometheus.ts";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const UPDATE_MS = 2_000;
const PING_MS = 15_000;
/** A stream outlives neither a sign-out nor a revoked token by more than this. */
const REAUTH_MS = 30_000;

/**
 * Live metrics as Server-Sent Events: `state` when the flow's state changes, `metrics`
 * (per-partition snapshots and the summary) every 2 s, a comment ping every 15 s so proxies keep
 * the connection. One update at a time (the next is scheduled when the last is sent); credentials
 * are checked again every 30 s; everything stops when the client goes away.
 */
export const GET = defineRoute("flows.stream", async ({ params, request }) => {
  await requireFlow(params.id);
  const encoder = new TextEncoder();
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let lastPing = Date.now();
  let lastAuth = Date.now();
  let lastState = "";
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const close = () => {
        if (closed) return;
        closed = true;
        countLiveStream(-1);
        clearTimeout(timer);
        try {
          controller.close();
        } catch {}
      };
      const write = (chunk: string) => {
        if (closed) return;
        try {
          controller.enqueue(encoder.encode(chunk));
        } catch {
          close();
        }
      };
      const send = (event: string, data: unknown) =>
        write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      const tick = async () => {
        if (Date.now() - lastAuth >= REAUTH_MS) {
          lastAuth = Date.now();
          if ((await authenticate(request)) === null) {
            send("unauthorized", { message: "The session or token is no longer valid." });
            return close();
          }
        }
        const [flow, snapshots, leader] = await Promise.all([
          findFlow(database(), params.id),
          latestFlowSnapshots(params.id).catch(() => []),
          flowLeaderStatus(params.id).catch(() => null),
        ]);
        if (flow === null) {
          send("deleted", { flowId: params.id });
          return close();
        }
        const state = `${flow.state}|${flow.stateReason ?? ""}|${flow.version}|${flow.enabled}`;
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
        if (Date.now() - lastPing >= PING_MS) {
          lastPing = Date.now();
          write(": ping\n\n");
        }
      };
      const loop = () => {
        if (closed) return;
        tick()
          .catch(() => {})
          .finally(() => {
            if (!closed) timer = setTimeout(loop, UPDATE_MS);
          });
      };
      countLiveStream(1);
      if (request.signal.aborted) return close();
      request.signal.addEventListener("abort", close);
      write("retry: 3000\n\n");
      loop();
    },
    cancel() {
      if (!closed) countLiveStream(-1);
      closed = true;
      clearTimeout(timer);
    },
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
