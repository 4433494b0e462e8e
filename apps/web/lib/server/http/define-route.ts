import { randomUUID } from "node:crypto";
import {
  AppError,
  DEFAULT_MAX_BODY_BYTES,
  type RouteId,
  type RouteSpec,
  roleAtLeast,
  routeTable,
} from "@mirrordeck/contracts";
import { type Principal, recordAudit } from "@mirrordeck/db";
import type { z } from "zod";
import { database } from "../database.ts";
import { observeApiRequest } from "../prometheus.ts";
import { forgetSharedReads } from "../shared-read.ts";
import { type Authentication, authenticate, constantTimeEquals } from "./authenticate.ts";
import { errorResponse, toAppError, validationError } from "./error-response.ts";
import { decodeUtf8, parseJsonBody, readBodyBytes } from "./read-body.ts";
import { logEvent } from "./request-log.ts";
import { CSRF_HEADER } from "./session-cookies.ts";

type Spec<Id extends RouteId> = (typeof routeTable)[Id];
type Parsed<S, K extends string> = S extends { [P in K]: infer T extends z.ZodType }
  ? z.output<T>
  : undefined;

/** What a route handler gets: validated input and the caller. */
export interface RouteContext<Id extends RouteId> {
  request: Request;
  requestId: string;
  /** Null only on public routes. */
  principal: Spec<Id>["access"] extends "public" ? Principal | null : Principal;
  authentication: Authentication | null;
  params: Parsed<Spec<Id>, "params">;
  query: Parsed<Spec<Id>, "query">;
  body: Parsed<Spec<Id>, "body">;
  /** The raw body of text routes (mm2.properties), undecoded: the route judges its bytes. */
  bytes: Uint8Array;
  /** What the audit record of this write says about its target (never secrets). */
  audit: { targetId?: string; details?: Record<string, unknown>; actor?: string };
}

type NextHandler = (
  request: Request,
  context: { params: Promise<Record<string, string | string[]>> },
) => Promise<Response>;

const REQUEST_ID = /^[A-Za-z0-9._-]{8,100}$/;
const SAFE_METHODS = new Set(["GET", "HEAD"]);

/**
 * Binds a handler to its route-table entry: authentication, role check, CSRF check on cookie
 * writes, body size limit, zod validation of params, query and body, audit of every write, and
 * errors as `{ error: { code, message, details } }`. A handler only sees input that passed.
 */
export function defineRoute<Id extends RouteId>(
  id: Id,
  handler: (ctx: RouteContext<Id>) => Promise<Response>,
): NextHandler {
  const spec: RouteSpec = routeTable[id];
  return async (request, nextContext) => {
    const started = performance.now();
    const incoming = request.headers.get("x-request-id");
    const requestId = incoming !== null && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    const audit: RouteContext<Id>["audit"] = {};
    let authentication: Authentication | null = null;
    let response: Response;
    let outcome = "ok";
    try {
      if (request.method !== spec.method) throw new AppError("NOT_FOUND", "No such endpoint.");
      authentication = await authorise(spec, request);
      const params = parsePart(spec.params, (await nextContext?.params) ?? {}, "path");
      const query = parsePart(spec.query, Object.fromEntries(new URL(request.url).searchParams), "query");
      const hasBody = spec.body !== undefined || spec.textBody !== undefined;
      const bytes = hasBody
        ? await readBodyBytes(request, spec.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES)
        : new Uint8Array();
      const body =
        spec.body === undefined
          ? undefined
          : parsePart(
              spec.body,
              parseJsonBody(decodeUtf8(bytes), request.headers.get("content-type")),
              "body",
            );
      response = await handler({
        request,
        requestId,
        principal: (authentication?.principal ?? null) as RouteContext<Id>["principal"],
        authentication,
        params,
        query,
        body,
        bytes,
        audit,
      } as RouteContext<Id>);
      if (response.status >= 400) outcome = `HTTP_${response.status}`;
    } catch (error) {
      const appError = toAppError(error, requestId);
      outcome = appError.code;
      response = errorResponse(
        appError,
        appError.code === "RATE_LIMITED"
          ? { "retry-after": String(appError.details.retryAfterSeconds ?? 60) }
          : {},
      );
    }
    response.headers.set("x-request-id", requestId);
    if (!SAFE_METHODS.has(spec.method)) forgetSharedReads();
    if (!response.headers.has("cache-control")) response.headers.set("cache-control", "no-store");
    const actor = authentication?.principal.label ?? audit.actor ?? null;
    // Refused-by-rate-limit attempts are not audited: they are counted, and would flood the log.
    if (
      !SAFE_METHODS.has(spec.method) &&
      spec.auditTarget !== undefined &&
      actor !== null &&
      outcome !== "RATE_LIMITED"
    ) {
      await recordAudit(database(), {
        actor,
        action: id,
        targetType: spec.auditTarget,
        targetId: audit.targetId ?? null,
        requestId,
        outcome,
        details: audit.details ?? {},
      }).catch((error) => logEvent("error", { requestId, msg: "audit write failed", err: String(error) }));
    }
    observeApiRequest(id, request.method, response.status, (performance.now() - started) / 1000);
    logEvent(response.status >= 500 ? "error" : "info", {
      requestId,
      route: id,
      method: request.method,
      path: new URL(request.url).pathname,
      status: response.status,
      ms: Math.round(performance.now() - started),
      actor,
    });
    return response;
  };
}

async function authorise(spec: RouteSpec, request: Request): Promise<Authentication | null> {
  if (spec.access === "public") return null;
  const authentication = await authenticate(request);
  if (authentication === null) {
    throw new AppError("UNAUTHENTICATED", "Sign in, or send an API token as Authorization: Bearer <token>.");
  }
  if (!roleAtLeast(authentication.principal.role, spec.access)) {
    throw new AppError(
      "FORBIDDEN",
      `This needs the ${spec.access.toLowerCase()} role or above; you are ${authentication.principal.role.toLowerCase()}.`,
    );
  }
  if (authentication.via === "cookie" && !SAFE_METHODS.has(request.method)) {
    // Defence in depth beside the token: a browser names the page's origin on a cross-site write.
    if (!sameOrigin(request)) {
      throw new AppError("CSRF_FAILED", "A signed-in write from another origin is refused.");
    }
    const presented = request.headers.get(CSRF_HEADER);
    if (presented === null || !constantTimeEquals(presented, authentication.csrfToken)) {
      throw new AppError("CSRF_FAILED", "Missing or wrong X-CSRF-Token header for a signed-in write.");
    }
  }
  return authentication;
}

/** True without an Origin header (not a browser's cross-site request), or when it names this host. */
function sameOrigin(request: Request): boolean {
  const origin = request.headers.get("origin");
  if (origin === null) return true;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return false;
  }
  const forwarded = request.headers.get("x-forwarded-host")?.split(",")[0]?.trim();
  return host === request.headers.get("host") || (forwarded !== undefined && host === forwarded);
}

function parsePart(schema: z.ZodType | undefined, value: unknown, where: string): unknown {
  if (schema === undefined) return undefined;
  const result = schema.safeParse(value);
  if (!result.success) throw validationError(result.error, where);
  return result.data;
}
