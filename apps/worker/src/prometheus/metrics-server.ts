import { timingSafeEqual } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { Registry } from "prom-client";
import type { Logger } from "../logger.ts";

export interface MetricsServerOptions {
  port: number;
  host: string;
  /** When set, a scrape must send `Authorization: Bearer <token>`. */
  token: string | undefined;
}

/**
 * Serves `GET /metrics` in the Prometheus text format. A port already taken is logged and the
 * worker goes on without it: replication never stops for its metrics.
 */
export async function startMetricsServer(
  registry: Registry,
  options: MetricsServerOptions,
  log: Logger,
): Promise<Server | undefined> {
  const expected = options.token === undefined ? undefined : Buffer.from(`Bearer ${options.token}`);
  const server = createServer((request, response) => {
    const path = (request.url ?? "/").split("?")[0];
    if (request.method !== "GET" || path !== "/metrics") {
      response.writeHead(404, { "content-type": "text/plain" }).end("not found: GET /metrics\n");
      return;
    }
    if (expected !== undefined) {
      const given = Buffer.from(request.headers.authorization ?? "");
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        response.writeHead(401, { "content-type": "text/plain" }).end("unauthorized\n");
        return;
      }
    }
    registry
      .metrics()
      .then((text) => response.writeHead(200, { "content-type": registry.contentType }).end(text))
      .catch((error) => {
        log.warn({ err: String(error) }, "metrics scrape failed");
        response.writeHead(500, { "content-type": "text/plain" }).end("metrics unavailable\n");
      });
  });
  return new Promise((resolve) => {
    server.once("error", (error) => {
      log.error(
        { err: String(error), port: options.port },
        "metrics endpoint not started; the worker runs without it",
      );
      resolve(undefined);
    });
    server.listen(options.port, options.host, () => {
      log.info({ port: options.port, host: options.host }, "metrics served on /metrics");
      resolve(server);
    });
  });
}
