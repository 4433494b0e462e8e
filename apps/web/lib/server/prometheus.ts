import { WORKER_PRESENCE_PREFIX } from "@mirrordeck/contracts";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import { database } from "./database.ts";
import { redis } from "./redis.ts";

interface WebMetrics {
  registry: Registry;
  requests: Counter;
  duration: Histogram;
  liveStreams: Gauge;
}

const globalForMetrics = globalThis as unknown as { mirrordeckWebMetrics?: WebMetrics };

/**
 * The web app's Prometheus series: its API requests by route id (the route table bounds the
 * label values), and, read when scraped, flows by state and workers alive. Replication series
 * come from the workers' own endpoints.
 */
export function webMetrics(): WebMetrics {
  globalForMetrics.mirrordeckWebMetrics ??= createWebMetrics();
  return globalForMetrics.mirrordeckWebMetrics;
}

/** Called by defineRoute for every API request. */
export function observeApiRequest(route: string, method: string, status: number, seconds: number): void {
  const { requests, duration } = webMetrics();
  requests.inc({ route, method, status: String(status) });
  duration.observe({ route, method }, seconds);
}

/** A live metrics stream (SSE) opened (+1) or closed (-1). */
export function countLiveStream(change: 1 | -1): void {
  webMetrics().liveStreams.inc(change);
}

function createWebMetrics(): WebMetrics {
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry, prefix: "mirrordeck_web_" });
  const requests = new Counter({
    name: "mirrordeck_http_requests_total",
    help: "API requests answered, by route id, method and status.",
    labelNames: ["route", "method", "status"],
    registers,
  });
  const duration = new Histogram({
    name: "mirrordeck_http_request_duration_seconds",
    help: "Time to answer an API request, by route id and method.",
    labelNames: ["route", "method"],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.3, 1, 3, 10],
    registers,
  });
  new Gauge({
    name: "mirrordeck_flows",
    help: "Flows by state, as stored (ERROR includes flows that cannot start).",
    labelNames: ["state"],
    registers,
    async collect() {
      this.reset();
      const rows = await database().flow.groupBy({ by: ["state"], _count: { _all: true } });
      for (const row of rows) this.set({ state: row.state }, row._count._all);
    },
  });
  new Gauge({
    name: "mirrordeck_workers_alive",
    help: "Workers whose presence key is fresh in Redis.",
    registers,
    async collect() {
      let cursor = "0";
      let count = 0;
      do {
        const [next, keys] = await redis().scan(cursor, "MATCH", `${WORKER_PRESENCE_PREFIX}*`, "COUNT", 100);
        cursor = next;
        count += keys.length;
      } while (cursor !== "0");
      this.set(count);
    },
  });
  const liveStreams = new Gauge({
    name: "mirrordeck_live_streams",
    help: "Live metrics streams (Server-Sent Events) open now.",
    registers,
  });
  return { registry, requests, duration, liveStreams };
}
