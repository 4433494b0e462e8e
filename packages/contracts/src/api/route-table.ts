import type { z } from "zod";
import { alertRuleInputSchema, alertRuleParamSchema, webhookInputSchema } from "../alerts.ts";
import { clusterCreateSchema, clusterDetailSchema, clusterUpdateSchema } from "../cluster-input.ts";
import { failoverRequestSchema } from "../failover.ts";
import { flowCreateSchema, flowDetailSchema, flowUpdateSchema } from "../flow-input.ts";
import {
  aliasParamSchema,
  auditQuerySchema,
  importQuerySchema,
  itemsSchema,
  loginSchema,
  metricsQuerySchema,
  objectSchema,
  runParamSchema,
  tokenCreateSchema,
  userCreateSchema,
  userUpdateSchema,
  uuidParamSchema,
} from "./common-schemas.ts";
import type { RoleName } from "./roles.ts";

export type HttpMethod = "GET" | "POST" | "PATCH" | "DELETE";

/** Who may call a route: anyone, or a principal with at least this role. */
export type Access = "public" | RoleName;

export interface RouteSpec {
  method: HttpMethod;
  /** OpenAPI-style path, e.g. /api/v1/clusters/{alias}. */
  path: string;
  access: Access;
  summary: string;
  tag: string;
  params?: z.ZodType;
  query?: z.ZodType;
  /** JSON request body; `text` routes take a text body instead. */
  body?: z.ZodType;
  /** A text request body (mm2.properties), with its media type. */
  textBody?: "text/plain";
  /** Largest accepted request body, in bytes. */
  maxBodyBytes?: number;
  response?: z.ZodType;
  /** Response media type when not JSON. */
  produces?: "text/event-stream" | "text/plain" | "application/x-ndjson";
  /** Audit target type of a write. */
  auditTarget?: string;
}

const v1 = "/api/v1";
const DEFAULT_MAX_BODY = 64 * 1024;
/** Room for three PEM blocks (CA, certificate, key) of up to 64 KiB each. */
const CLUSTER_MAX_BODY = 256 * 1024;
export const MAX_IMPORT_BYTES = 1024 * 1024;

/**
 * Every endpoint of the API. Route handlers are bound to these entries by id, the OpenAPI
 * document is generated from them, and the auth tests enumerate them: a route that is not
 * here cannot be served.
 */
export const routeTable = {
  "health.get": { method: "GET", path: `${v1}/health`, access: "public", summary: "Liveness", tag: "system" },
  "ready.get": {
    method: "GET",
    path: `${v1}/ready`,
    access: "public",
    summary: "Readiness: Postgres, Redis and at least one live worker",
    tag: "system",
  },
  "openapi.get": {
    method: "GET",
    path: `${v1}/openapi.json`,
    access: "VIEWER",
    summary: "This API as an OpenAPI 3.1 document",
    tag: "system",
  },

  "auth.login": {
    method: "POST",
    path: `${v1}/auth/login`,
    access: "public",
    summary: "Sign in: sets the session cookie and returns the CSRF token",
    tag: "auth",
    body: loginSchema,
    auditTarget: "session",
  },
  "auth.logout": {
    method: "POST",
    path: `${v1}/auth/logout`,
    access: "VIEWER",
    summary: "Sign out",
    tag: "auth",
    auditTarget: "session",
  },
  "auth.me": { method: "GET", path: `${v1}/auth/me`, access: "VIEWER", summary: "Who am I", tag: "auth" },

  "clusters.list": {
    method: "GET",
    path: `${v1}/clusters`,
    access: "VIEWER",
    summary: "Clusters with cached health",
    tag: "clusters",
    response: itemsSchema,
  },
  "clusters.create": {
    method: "POST",
    path: `${v1}/clusters`,
    access: "ADMIN",
    summary: "Register a cluster",
    tag: "clusters",
    body: clusterCreateSchema,
    response: clusterDetailSchema,
    maxBodyBytes: CLUSTER_MAX_BODY,
    auditTarget: "cluster",
  },
  "clusters.testDraft": {
    method: "POST",
    path: `${v1}/connection-tests`,
    access: "ADMIN",
    summary: "Test connection settings before saving them",
    tag: "clusters",
    body: clusterCreateSchema,
    maxBodyBytes: CLUSTER_MAX_BODY,
    auditTarget: "cluster",
  },
  "clusters.get": {
    method: "GET",
    path: `${v1}/clusters/{alias}`,
    access: "VIEWER",
    summary: "One cluster",
    tag: "clusters",
    params: aliasParamSchema,
    response: clusterDetailSchema,
  },
  "clusters.update": {
    method: "PATCH",
    path: `${v1}/clusters/{alias}`,
    access: "ADMIN",
    summary: "Change a cluster (optimistic concurrency on version)",
    tag: "clusters",
    params: aliasParamSchema,
    body: clusterUpdateSchema,
    response: clusterDetailSchema,
    maxBodyBytes: CLUSTER_MAX_BODY,
    auditTarget: "cluster",
  },
  "clusters.delete": {
    method: "DELETE",
    path: `${v1}/clusters/{alias}`,
    access: "ADMIN",
    summary: "Remove a cluster no flow uses",
    tag: "clusters",
    params: aliasParamSchema,
    auditTarget: "cluster",
  },
  "clusters.test": {
    method: "POST",
    path: `${v1}/clusters/{alias}/test`,
    access: "ADMIN",
    summary: "Connect now: reachability, auth, brokers, version, controller, topic count",
    tag: "clusters",
    params: aliasParamSchema,
    auditTarget: "cluster",
  },
  "clusters.topics": {
    method: "GET",
    path: `${v1}/clusters/{alias}/topics`,
    access: "VIEWER",
    summary: "Topics of a cluster with partition counts",
    tag: "clusters",
    params: aliasParamSchema,
    response: itemsSchema,
  },
  "clusters.groups": {
    method: "GET",
    path: `${v1}/clusters/{alias}/groups`,
    access: "VIEWER",
    summary: "Consumer groups of a cluster",
    tag: "clusters",
    params: aliasParamSchema,
    response: itemsSchema,
  },

  "flows.list": {
    method: "GET",
    path: `${v1}/flows`,
    access: "VIEWER",
    summary: "Flows with live state, lag summary and heartbeat age",
    tag: "flows",
    response: itemsSchema,
  },
  "flows.create": {
    method: "POST",
    path: `${v1}/flows`,
    access: "ADMIN",
    summary: "Create a flow",
    tag: "flows",
    body: flowCreateSchema,
    response: flowDetailSchema,
    auditTarget: "flow",
  },
  "flows.previewDraft": {
    method: "POST",
    path: `${v1}/flows/preview`,
    access: "VIEWER",
    summary: "What a flow not yet saved would select now",
    tag: "flows",
    body: flowCreateSchema,
  },
  "flows.get": {
    method: "GET",
    path: `${v1}/flows/{id}`,
    access: "VIEWER",
    summary: "One flow",
    tag: "flows",
    params: uuidParamSchema,
    response: flowDetailSchema,
  },
  "flows.update": {
    method: "PATCH",
    path: `${v1}/flows/{id}`,
    access: "ADMIN",
    summary: "Change a flow (optimistic concurrency on version; records a revision)",
    tag: "flows",
    params: uuidParamSchema,
    body: flowUpdateSchema,
    response: flowDetailSchema,
    auditTarget: "flow",
  },
  "flows.delete": {
    method: "DELETE",
    path: `${v1}/flows/{id}`,
    access: "ADMIN",
    summary: "Delete a flow and its positions",
    tag: "flows",
    params: uuidParamSchema,
    auditTarget: "flow",
  },
  "flows.start": {
    method: "POST",
    path: `${v1}/flows/{id}/start`,
    access: "OPERATOR",
    summary: "Start replicating",
    tag: "flows",
    params: uuidParamSchema,
    auditTarget: "flow",
  },
  "flows.pause": {
    method: "POST",
    path: `${v1}/flows/{id}/pause`,
    access: "OPERATOR",
    summary: "Pause (positions kept)",
    tag: "flows",
    params: uuidParamSchema,
    auditTarget: "flow",
  },
  "flows.resume": {
    method: "POST",
    path: `${v1}/flows/{id}/resume`,
    access: "OPERATOR",
    summary: "Resume from the kept positions",
    tag: "flows",
    params: uuidParamSchema,
    auditTarget: "flow",
  },
  "flows.preview": {
    method: "GET",
    path: `${v1}/flows/{id}/preview`,
    access: "VIEWER",
    summary: "Topics and groups the patterns select now, with remote names",
    tag: "flows",
    params: uuidParamSchema,
  },
  "flows.metrics": {
    method: "GET",
    path: `${v1}/flows/{id}/metrics`,
    access: "VIEWER",
    summary:
      "Metrics history (per minute, per topic: the `maxTopics` topics with the most lag, the rest as one series)",
    tag: "flows",
    params: uuidParamSchema,
    query: metricsQuerySchema,
  },
  "flows.stream": {
    method: "GET",
    path: `${v1}/flows/{id}/stream`,
    access: "VIEWER",
    summary: "Live metrics as Server-Sent Events",
    tag: "flows",
    params: uuidParamSchema,
    produces: "text/event-stream",
  },
  "flows.groups": {
    method: "GET",
    path: `${v1}/flows/{id}/groups`,
    access: "VIEWER",
    summary: "Consumer groups: checkpoints and translated offsets",
    tag: "flows",
    params: uuidParamSchema,
  },
  "flows.acls": {
    method: "GET",
    path: `${v1}/flows/{id}/acls`,
    access: "VIEWER",
    summary: "Topic ACLs on both clusters for the flow's topics, the difference and the next sync",
    tag: "flows",
    params: uuidParamSchema,
  },
  "flows.aclsSync": {
    method: "POST",
    path: `${v1}/flows/{id}/acls/sync`,
    access: "OPERATOR",
    summary: "Run a topic ACL sync now (creates what the target's remote topics lack)",
    tag: "flows",
    params: uuidParamSchema,
    auditTarget: "flow",
  },
  "flows.readiness": {
    method: "GET",
    path: `${v1}/flows/{id}/readiness`,
    access: "VIEWER",
    summary: "Failover readiness: lag, heartbeat and checkpoint age, groups, topics, go / no-go",
    tag: "failover",
    params: uuidParamSchema,
  },
  "flows.failover": {
    method: "POST",
    path: `${v1}/flows/{id}/failover`,
    access: "OPERATOR",
    summary: "Dry-run (default) or start a failover to the flow's target",
    tag: "failover",
    params: uuidParamSchema,
    body: failoverRequestSchema,
    auditTarget: "flow",
  },
  "flows.failovers": {
    method: "GET",
    path: `${v1}/flows/{id}/failovers`,
    access: "VIEWER",
    summary: "Failover runs of the flow, newest first",
    tag: "failover",
    params: uuidParamSchema,
  },
  "flows.failover-run": {
    method: "GET",
    path: `${v1}/flows/{id}/failovers/{runId}`,
    access: "VIEWER",
    summary: "One failover run: steps, progress and report",
    tag: "failover",
    params: runParamSchema,
  },
  "flows.failover-cancel": {
    method: "POST",
    path: `${v1}/flows/{id}/failovers/{runId}/cancel`,
    access: "OPERATOR",
    summary: "Cancel a run before its point of no return",
    tag: "failover",
    params: runParamSchema,
    auditTarget: "flow",
  },
  "flows.failover-divergent": {
    method: "GET",
    path: `${v1}/flows/{id}/failovers/{runId}/divergent`,
    access: "OPERATOR",
    summary: "Export the records an unplanned failover left behind (NDJSON, base64 keys and values)",
    tag: "failover",
    params: runParamSchema,
    produces: "application/x-ndjson",
  },
  "flows.events": {
    method: "GET",
    path: `${v1}/flows/{id}/events`,
    access: "VIEWER",
    summary: "State changes, errors and operator actions",
    tag: "flows",
    params: uuidParamSchema,
    response: itemsSchema,
  },
  "flows.revisions": {
    method: "GET",
    path: `${v1}/flows/{id}/revisions`,
    access: "VIEWER",
    summary: "Every edit with who, when and the diff",
    tag: "flows",
    params: uuidParamSchema,
    response: itemsSchema,
  },

  "import.mm2": {
    method: "POST",
    path: `${v1}/import/mm2-properties`,
    access: "ADMIN",
    summary: "Import mm2.properties (dry run unless apply=true)",
    tag: "mm2",
    query: importQuerySchema,
    textBody: "text/plain",
    maxBodyBytes: MAX_IMPORT_BYTES,
    auditTarget: "import",
  },
  "export.mm2": {
    method: "GET",
    path: `${v1}/export/mm2-properties`,
    access: "VIEWER",
    summary: "The topology as an mm2.properties file MirrorMaker 2 accepts",
    tag: "mm2",
    produces: "text/plain",
  },

  "alerts.list": {
    method: "GET",
    path: `${v1}/flows/{id}/alert-rules`,
    access: "VIEWER",
    summary: "The flow's alert rules with their state (OK, PENDING, FIRING)",
    tag: "alerts",
    params: uuidParamSchema,
    response: itemsSchema,
  },
  "alerts.create": {
    method: "POST",
    path: `${v1}/flows/{id}/alert-rules`,
    access: "OPERATOR",
    summary: "Add an alert rule to the flow",
    tag: "alerts",
    params: uuidParamSchema,
    body: alertRuleInputSchema,
    auditTarget: "flow",
  },
  "alerts.update": {
    method: "PATCH",
    path: `${v1}/flows/{id}/alert-rules/{ruleId}`,
    access: "OPERATOR",
    summary:
      "Replace an alert rule's settings (under the same kind it keeps its state and is judged by the new settings; another kind starts over)",
    tag: "alerts",
    params: alertRuleParamSchema,
    body: alertRuleInputSchema,
    auditTarget: "flow",
  },
  "alerts.delete": {
    method: "DELETE",
    path: `${v1}/flows/{id}/alert-rules/{ruleId}`,
    access: "OPERATOR",
    summary: "Delete an alert rule",
    tag: "alerts",
    params: alertRuleParamSchema,
    auditTarget: "flow",
  },
  "webhooks.list": {
    method: "GET",
    path: `${v1}/webhooks`,
    access: "ADMIN",
    summary: "Webhooks that receive alert notifications (URLs shown by origin only)",
    tag: "alerts",
    response: itemsSchema,
  },
  "webhooks.create": {
    method: "POST",
    path: `${v1}/webhooks`,
    access: "ADMIN",
    summary: "Add a webhook (generic JSON or Slack-compatible payloads)",
    tag: "alerts",
    body: webhookInputSchema,
    auditTarget: "webhook",
  },
  "webhooks.delete": {
    method: "DELETE",
    path: `${v1}/webhooks/{id}`,
    access: "ADMIN",
    summary: "Delete a webhook",
    tag: "alerts",
    params: uuidParamSchema,
    auditTarget: "webhook",
  },
  "users.list": {
    method: "GET",
    path: `${v1}/users`,
    access: "ADMIN",
    summary: "Users",
    tag: "admin",
    response: itemsSchema,
  },
  "users.create": {
    method: "POST",
    path: `${v1}/users`,
    access: "ADMIN",
    summary: "Create a user",
    tag: "admin",
    body: userCreateSchema,
    auditTarget: "user",
  },
  "users.update": {
    method: "PATCH",
    path: `${v1}/users/{id}`,
    access: "ADMIN",
    summary: "Change a user's role or password, or disable them",
    tag: "admin",
    params: uuidParamSchema,
    body: userUpdateSchema,
    auditTarget: "user",
  },
  "tokens.list": {
    method: "GET",
    path: `${v1}/tokens`,
    access: "ADMIN",
    summary: "API tokens (never their values)",
    tag: "admin",
    response: itemsSchema,
  },
  "tokens.create": {
    method: "POST",
    path: `${v1}/tokens`,
    access: "ADMIN",
    summary: "Create an API token; its value is shown once",
    tag: "admin",
    body: tokenCreateSchema,
    auditTarget: "token",
  },
  "tokens.revoke": {
    method: "DELETE",
    path: `${v1}/tokens/{id}`,
    access: "ADMIN",
    summary: "Revoke an API token",
    tag: "admin",
    params: uuidParamSchema,
    auditTarget: "token",
  },
  "audit.list": {
    method: "GET",
    path: `${v1}/audit`,
    access: "ADMIN",
    summary: "Audit log, newest first",
    tag: "admin",
    query: auditQuerySchema,
    response: itemsSchema,
  },
} as const satisfies Record<string, RouteSpec>;

export type RouteId = keyof typeof routeTable;

export const DEFAULT_MAX_BODY_BYTES = DEFAULT_MAX_BODY;

export function routeSpec(id: RouteId): RouteSpec {
  return routeTable[id];
}

/** Every route with its id. */
export function listRoutes(): Array<RouteSpec & { id: RouteId }> {
  return (Object.keys(routeTable) as RouteId[]).map((id) => ({ id, ...routeTable[id] }));
}

export { objectSchema };
