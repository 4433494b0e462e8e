import { serverEnv } from "@/lib/server/env.ts";
import { constantTimeEquals } from "@/lib/server/http/authenticate.ts";
import { webMetrics } from "@/lib/server/prometheus.ts";

export const dynamic = "force-dynamic";

/** Prometheus scrape endpoint (text format); a bearer token when MIRRORDECK_METRICS_TOKEN is set. */
export async function GET(request: Request): Promise<Response> {
  const token = serverEnv().MIRRORDECK_METRICS_TOKEN;
  if (token !== undefined) {
    if (!constantTimeEquals(request.headers.get("authorization") ?? "", `Bearer ${token}`)) {
      return new Response("unauthorized\n", { status: 401, headers: { "content-type": "text/plain" } });
    }
  }
  const { registry } = webMetrics();
  try {
    return new Response(await registry.metrics(), {
      headers: { "content-type": registry.contentType, "cache-control": "no-store" },
    });
  } catch (error) {
    // A collector could not reach Postgres or Redis: say which, in one line, without a stack.
    const reason = (error as Error).message.split("\n").find((line) => line.trim() !== "") ?? "unavailable";
    return new Response(`metrics unavailable: ${reason}\n`, {
      status: 503,
      headers: { "content-type": "text/plain" },
    });
  }
}
