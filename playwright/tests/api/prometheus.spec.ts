import { expect, test } from "@playwright/test";
import { parsePrometheusText, sumOf } from "../../../scripts/test-support/prometheus-text.ts";
import { e2eMetricsToken } from "../../e2e-env.ts";
import { admin } from "../../support/api.ts";

// The web app's Prometheus endpoint: behind its token, in the text format, counting API requests
// by route id and reading flows by state and workers alive when scraped.

const withToken = { authorization: `Bearer ${e2eMetricsToken}` };

test("GET /metrics wants the metrics token", async ({ request }) => {
  expect((await request.get("/metrics")).status()).toBe(401);
  expect(
    (await request.get("/metrics", { headers: { authorization: "Bearer wrong-token-0123456789" } })).status(),
  ).toBe(401);
  // A session or an API token of a user is not the metrics token either.
  expect((await request.get("/metrics", { headers: admin })).status()).toBe(401);
});

test("GET /metrics counts API requests by route and reads flows and workers", async ({ request }) => {
  const scrape = async () => {
    const response = await request.get("/metrics", { headers: withToken });
    expect(response.status()).toBe(200);
    expect(response.headers()["content-type"]).toContain("text/plain");
    return parsePrometheusText(await response.text());
  };
  const listed = { route: "flows.list", method: "GET", status: "200" };
  const before = sumOf(await scrape(), "mirrordeck_http_requests_total", listed);
  for (let i = 0; i < 3; i++)
    expect((await request.get("/api/v1/flows", { headers: admin })).status()).toBe(200);
  const notFound = await request.get("/api/v1/flows/00000000-0000-4000-8000-000000000000", {
    headers: admin,
  });
  expect(notFound.status()).toBe(404);

  const after = await scrape();
  expect(sumOf(after, "mirrordeck_http_requests_total", listed) - before).toBeGreaterThanOrEqual(3);
  expect(
    sumOf(after, "mirrordeck_http_requests_total", { route: "flows.get", status: "404" }),
  ).toBeGreaterThanOrEqual(1);
  expect(
    sumOf(after, "mirrordeck_http_request_duration_seconds_count", { route: "flows.list" }),
  ).toBeGreaterThanOrEqual(3);
  // Read from Postgres and Redis at scrape time (tests run one at a time: nothing changes between).
  const flows = (await (await request.get("/api/v1/flows", { headers: admin })).json()) as {
    items: { state: string }[];
  };
  const stored = await scrape();
  expect(sumOf(stored, "mirrordeck_flows")).toBe(flows.items.length);
  for (const state of new Set(flows.items.map((f) => f.state))) {
    expect(sumOf(stored, "mirrordeck_flows", { state })).toBe(
      flows.items.filter((f) => f.state === state).length,
    );
  }
  expect(stored.some((s) => s.name === "mirrordeck_workers_alive")).toBe(true);
  expect(after.some((s) => s.name === "mirrordeck_web_process_resident_memory_bytes")).toBe(true);
});
