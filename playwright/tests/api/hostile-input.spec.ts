// Hostile input against the running API, generated from the route table: random JSON bodies,
// truncated JSON, random query strings and path segments. Whatever comes in, the answer is a clear
// error in the API's shape (or a success), never a 500, a stack trace or a hang.
import { listRoutes } from "@mirrordeck/contracts";
import { type APIResponse, expect, test } from "@playwright/test";
import fc from "fast-check";
import { admin, concretePath } from "../../support/api.ts";

const routes = listRoutes().filter((r) => r.access !== "public" && r.path !== "/api/v1/auth/logout");
const writes = routes.filter((r) => r.method !== "GET");
const RUNS = 12;

async function expectHandled(response: APIResponse, what: string): Promise<void> {
  const status = response.status();
  const text = await response.text();
  expect(status, `${what}: ${text.slice(0, 300)}`).toBeLessThan(500);
  expect(response.headers()["x-injected"], `${what}: a header was injected`).toBeUndefined();
  expect(text, what).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
  if (status < 400 || text.length === 0) return;
  // A path that names no API route at all (e.g. a "..") gets the app's plain 404 page.
  if (!(response.headers()["content-type"] ?? "").includes("application/json")) {
    expect(status, `${what}: an error that is not JSON`).toBe(404);
  } else {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    expect(typeof body.error?.code, `${what}: ${text.slice(0, 300)}`).toBe("string");
    expect(typeof body.error?.message, what).toBe("string");
  }
}

/** JSON values of every shape, with the odd strings injection tests like. */
const hostileJson = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.dictionary(
    fc.constantFrom(
      "name",
      "alias",
      "bootstrapServers",
      "topicsInclude",
      "role",
      "password",
      "__proto__",
      "constructor",
    ),
    fc.oneof(
      fc.string(),
      fc.constantFrom(
        "'; DROP TABLE flow; --",
        "(a+)+$",
        "<script>alert(1)</script>",
        "\u0000",
        "x\r\nX-Injected: yes",
        "x".repeat(70_000),
      ),
      fc.integer(),
      fc.constant(null),
      fc.array(fc.string(), { maxLength: 3 }),
    ),
  ),
);

test("random JSON bodies to every write route: handled, never a 500", async ({ request }) => {
  test.setTimeout(240_000);
  for (const route of writes) {
    await fc.assert(
      fc.asyncProperty(hostileJson, async (body) => {
        const response = await request.fetch(concretePath(route), {
          method: route.method,
          headers: admin,
          data: body,
          timeout: 15_000,
        });
        await expectHandled(response, `${route.method} ${route.path} ${JSON.stringify(body).slice(0, 120)}`);
      }),
      { numRuns: RUNS },
    );
  }
});

test("truncated and malformed JSON to every write route: 400, never a 500", async ({ request }) => {
  test.setTimeout(240_000);
  const valid = JSON.stringify({
    name: "orders",
    bootstrapServers: "127.0.0.1:9092",
    topicsInclude: "orders.*",
  });
  for (const route of writes) {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: valid.length - 1 }), async (cut) => {
        const response = await request.fetch(concretePath(route), {
          method: route.method,
          headers: { ...admin, "content-type": "application/json" },
          data: valid.slice(0, cut),
          timeout: 15_000,
        });
        await expectHandled(response, `${route.method} ${route.path} cut at ${cut}`);
        expect(response.status()).toBeGreaterThanOrEqual(400);
      }),
      { numRuns: 4 },
    );
  }
});

test("random query strings and path segments on every route: handled, never a 500", async ({ request }) => {
  test.setTimeout(240_000);
  const segment = fc.oneof(
    fc.string({ minLength: 1 }),
    fc.constantFrom("..", "%00", "%2e%2e%2f", "' OR 1=1 --"),
  );
  for (const route of routes) {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), fc.string({ maxLength: 40 }), {
          maxKeys: 4,
        }),
        segment,
        async (query, id) => {
          const path = route.path
            .replace("{alias}", encodeURIComponent(id))
            .replace("{id}", encodeURIComponent(id))
            .replace("{runId}", encodeURIComponent(id))
            .replace("{ruleId}", encodeURIComponent(id));
          const search = new URLSearchParams(query).toString();
          const response = await request.fetch(`${path}${search ? `?${search}` : ""}`, {
            method: route.method,
            headers: admin,
            ...(route.method !== "GET" && { data: {} }),
            timeout: 15_000,
          });
          await expectHandled(response, `${route.method} ${path}?${search}`);
        },
      ),
      { numRuns: 6 },
    );
  }
});
