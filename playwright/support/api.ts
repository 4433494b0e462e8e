import { randomUUID } from "node:crypto";
import type { RouteSpec } from "@mirrordeck/contracts";
import { type APIRequestContext, type APIResponse, expect } from "@playwright/test";
import { bootstrapAuth } from "./auth.ts";

export const admin = bootstrapAuth;

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

/** The route's path with harmless values: a cluster and a flow that do not exist. */
export function concretePath(route: Pick<RouteSpec, "path">): string {
  return route.path
    .replace("{alias}", "no-such-cluster")
    .replace("{id}", randomUUID())
    .replace("{runId}", randomUUID())
    .replace("{ruleId}", randomUUID());
}

/** Calls a route with an empty JSON body where it takes one (so nothing valid is ever written). */
export function callRoute(
  request: APIRequestContext,
  route: Pick<RouteSpec, "path" | "method">,
  headers: Record<string, string> = {},
): Promise<APIResponse> {
  const url = concretePath(route);
  if (route.method === "GET") return request.get(url, { headers, timeout: 15_000 });
  return request.fetch(url, { method: route.method, headers, data: {}, timeout: 15_000 });
}

/** Asserts an error response in the API's shape and returns its code. */
export async function expectError(response: APIResponse, status: number, code?: string): Promise<string> {
  expect(response.status(), await response.text()).toBe(status);
  const body = (await response.json()) as { error: { code: string; message: string; details: unknown } };
  expect(typeof body.error.message).toBe("string");
  expect(body.error.message.length).toBeGreaterThan(0);
  // Never a stack trace.
  expect(body.error.message).not.toMatch(/\n\s+at /);
  if (code !== undefined) expect(body.error.code).toBe(code);
  return body.error.code;
}

export async function counts(request: APIRequestContext): Promise<{ clusters: number; flows: number }> {
  const [clusters, flows] = await Promise.all([
    request.get("/api/v1/clusters", { headers: admin }),
    request.get("/api/v1/flows", { headers: admin }),
  ]);
  return {
    clusters: ((await clusters.json()) as { items: unknown[] }).items.length,
    flows: ((await flows.json()) as { items: unknown[] }).items.length,
  };
}
