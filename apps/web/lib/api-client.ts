// The browser's view of /api/v1: typed calls, the CSRF header on writes, errors as ApiError.
import type {
  AlertKind,
  AlertRuleInput,
  AlertState,
  ClusterCreate,
  ClusterDetail,
  ClusterHealth,
  ClusterUpdate,
  FailoverPlan,
  FailoverReadiness,
  FailoverRequest,
  FailoverRunView,
  FlowCreate,
  FlowDetail,
  FlowLeaderStatus,
  FlowLiveSummary,
  FlowMetricsSnapshot,
  FlowUpdate,
  RoleName,
  TopicMetricsPoint,
  WebhookFormat,
  WebhookInput,
} from "@mirrordeck/contracts";
import type { ConnectionTestResult } from "./server/clusters/test-connection.ts";
import type { FlowAclView } from "./server/flows/flow-acls.ts";
import type { FlowPreview } from "./server/flows/flow-preview.ts";

export type { FlowAclView };
export type FlowAclBinding = NonNullable<FlowAclView["source"]["bindings"]>[number];
export interface FlowAclSyncResult
  extends Omit<FlowAclView, "flowId" | "enabled" | "intervalSeconds" | "principalMap" | "topics" | "leader"> {
  created: number;
  problem: string | null;
  ranAt: string;
}

export type { ConnectionTestResult, FlowPreview };

export interface ClusterListItem extends ClusterDetail {
  health: ClusterHealth;
}

export interface FlowListItem extends FlowDetail {
  live: FlowLiveSummary;
  heartbeat: { ageMs: number | null; stale: boolean } | null;
  firingAlerts: number;
}

export interface AlertRuleItem {
  id: string;
  kind: AlertKind;
  threshold: number | null;
  forSeconds: number;
  enabled: boolean;
  state: AlertState;
  since: string | null;
  lastValue: number | null;
  evaluatedAt: string | null;
}

/** A webhook as the API shows it: its URL by origin only. */
export interface WebhookItem {
  id: string;
  name: string;
  origin: string;
  format: WebhookFormat;
  enabled: boolean;
  createdAt: string;
}

export interface FlowGroupsResponse {
  flowId: string;
  leader: string | null;
  reportedAt: string | null;
  offsetSyncs: FlowLeaderStatus["offsetSyncs"] | null;
  checkpoints: FlowLeaderStatus["checkpoints"] | null;
  heartbeat: { ageMs: number | null; stale: boolean } & Partial<FlowLeaderStatus["heartbeats"]>;
  groups: FlowLeaderStatus["groups"];
}

export interface Me {
  kind: "user" | "token";
  label: string;
  role: RoleName;
  csrfToken: string | null;
}

export interface FlowEventItem {
  id: string;
  kind: string;
  message: string;
  details: Record<string, unknown>;
  at: string;
}

export interface FlowRevisionItem {
  version: number;
  actor: string;
  at: string;
  diff: Record<string, { from: unknown; to: unknown }>;
  snapshot: Record<string, unknown>;
}

export interface FlowMetricsHistory {
  flowId: string;
  from: string;
  to: string;
  stepSeconds: number;
  points: TopicMetricsPoint[];
}

/** One `metrics` event of a flow's SSE stream. */
export interface FlowStreamMetrics {
  at: string;
  summary: FlowLiveSummary;
  heartbeat: { ageMs: number | null; stale: boolean };
  snapshots: FlowMetricsSnapshot[];
}

export interface TopicItem {
  name: string;
  partitions: number;
  internal: boolean;
}

export interface GroupItem {
  groupId: string;
  protocolType: string;
  state: string;
  members: number;
}

export interface ImportResponse {
  applied: boolean;
  created?: { clusters: string[]; flows: string[] };
  needsSecrets?: string[];
  plan: {
    clusters: {
      alias: string;
      action: "create" | "unchanged" | "conflict";
      conflict?: string;
      input: Record<string, unknown>;
    }[];
    flows: { name: string; action: "create" | "conflict"; conflict?: string; input: FlowCreate }[];
    ignoredKeys: { key: string; reason: string }[];
    issues: { code: string; key?: string; message: string }[];
    placeholdersNeeded: string[];
  };
}

export interface UserItem {
  id: string;
  email: string;
  role: RoleName;
  disabled: boolean;
  lastLoginAt: string | null;
  createdAt: string;
}

export interface TokenItem {
  id: string;
  name: string;
  hint: string;
  role: RoleName;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revoked: boolean;
  createdAt: string;
}

/** `POST /flows/{id}/failover`: every option has a server-side default. */
export type FailoverInput = Partial<FailoverRequest>;

export interface AuditItem {
  id: number;
  at: string;
  actor: string;
  action: string;
  targetType: string;
  targetId: string | null;
  requestId: string;
  outcome: string;
  details: Record<string, unknown>;
}

/** A refused request: the API's stable code, its message, and per-field issues when it has them. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly issues: { path: string; message: string }[] = [],
  ) {
    super(message);
  }

  /** The message for one input field (`body.topicsInclude` → "topicsInclude"), if any. */
  fieldError(field: string): string | undefined {
    return this.issues.find((i) => i.path === `body.${field}` || i.path.startsWith(`body.${field}.`))
      ?.message;
  }
}

function readCookie(name: string): string | null {
  const match = document.cookie.split("; ").find((c) => c.startsWith(`${name}=`));
  return match === undefined ? null : decodeURIComponent(match.slice(name.length + 1));
}

type Method = "GET" | "POST" | "PATCH" | "DELETE";

async function request<T>(path: string, method: Method = "GET", body?: unknown, text?: string): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (method !== "GET") {
    // The session's CSRF token, echoed from its cookie (the API checks it on every write).
    headers["x-csrf-token"] = readCookie("mirrordeck_csrf") ?? "";
    if (body !== undefined) headers["content-type"] = "application/json";
    if (text !== undefined) headers["content-type"] = "text/plain";
  }
  const response = await fetch(path, {
    method,
    headers,
    ...(body !== undefined && { body: JSON.stringify(body) }),
    ...(text !== undefined && { body: text }),
  });
  if (response.status === 401 && typeof window !== "undefined" && !path.startsWith("/api/v1/auth/")) {
    window.location.assign(`/login?next=${encodeURIComponent(window.location.pathname)}`);
  }
  if (response.status === 204) return undefined as T;
  const isJson = response.headers.get("content-type")?.includes("application/json") ?? false;
  const payload = isJson ? await response.json().catch(() => null) : await response.text();
  if (!response.ok) {
    const error = (
      payload as {
        error?: { code: string; message: string; details?: { issues?: { path: string; message: string }[] } };
      } | null
    )?.error;
    throw new ApiError(
      error?.code ?? "HTTP_ERROR",
      error?.message ?? `Request failed (${response.status})`,
      response.status,
      error?.details?.issues ?? [],
    );
  }
  return payload as T;
}

const enc = encodeURIComponent;

export const api = {
  me: () => request<Me>("/api/v1/auth/me"),
  logout: () => request<void>("/api/v1/auth/logout", "POST"),

  clusters: () => request<{ items: ClusterListItem[] }>("/api/v1/clusters"),
  cluster: (alias: string) => request<ClusterDetail>(`/api/v1/clusters/${enc(alias)}`),
  createCluster: (input: Partial<ClusterCreate>) => request<ClusterDetail>("/api/v1/clusters", "POST", input),
  updateCluster: (alias: string, input: Partial<ClusterUpdate>) =>
    request<ClusterDetail>(`/api/v1/clusters/${enc(alias)}`, "PATCH", input),
  deleteCluster: (alias: string) => request<void>(`/api/v1/clusters/${enc(alias)}`, "DELETE"),
  testCluster: (alias: string) =>
    request<ConnectionTestResult>(`/api/v1/clusters/${enc(alias)}/test`, "POST"),
  testDraftCluster: (input: Partial<ClusterCreate>) =>
    request<ConnectionTestResult>("/api/v1/connection-tests", "POST", input),
  clusterTopics: (alias: string) => request<{ items: TopicItem[] }>(`/api/v1/clusters/${enc(alias)}/topics`),
  clusterGroups: (alias: string) => request<{ items: GroupItem[] }>(`/api/v1/clusters/${enc(alias)}/groups`),

  flows: () => request<{ items: FlowListItem[] }>("/api/v1/flows"),
  flow: (id: string) => request<FlowDetail>(`/api/v1/flows/${enc(id)}`),
  createFlow: (input: Partial<FlowCreate>) => request<FlowDetail>("/api/v1/flows", "POST", input),
  updateFlow: (id: string, input: Partial<FlowUpdate>) =>
    request<FlowDetail>(`/api/v1/flows/${enc(id)}`, "PATCH", input),
  deleteFlow: (id: string) => request<void>(`/api/v1/flows/${enc(id)}`, "DELETE"),
  flowAction: (id: string, action: "start" | "pause" | "resume") =>
    request<{ jobId: string }>(`/api/v1/flows/${enc(id)}/${action}`, "POST"),
  flowPreview: (id: string) => request<FlowPreview>(`/api/v1/flows/${enc(id)}/preview`),
  previewDraftFlow: (input: Partial<FlowCreate>) =>
    request<FlowPreview>("/api/v1/flows/preview", "POST", input),
  flowMetrics: (id: string, query: { from?: string; to?: string; step?: number; topic?: string }) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v));
    return request<FlowMetricsHistory>(`/api/v1/flows/${enc(id)}/metrics?${params}`);
  },
  flowEvents: (id: string) => request<{ items: FlowEventItem[] }>(`/api/v1/flows/${enc(id)}/events`),
  flowRevisions: (id: string) => request<{ items: FlowRevisionItem[] }>(`/api/v1/flows/${enc(id)}/revisions`),
  alertRules: (id: string) => request<{ items: AlertRuleItem[] }>(`/api/v1/flows/${enc(id)}/alert-rules`),
  createAlertRule: (id: string, input: Partial<AlertRuleInput>) =>
    request<AlertRuleItem>(`/api/v1/flows/${enc(id)}/alert-rules`, "POST", input),
  updateAlertRule: (id: string, ruleId: string, input: Partial<AlertRuleInput>) =>
    request<AlertRuleItem>(`/api/v1/flows/${enc(id)}/alert-rules/${enc(ruleId)}`, "PATCH", input),
  deleteAlertRule: (id: string, ruleId: string) =>
    request<void>(`/api/v1/flows/${enc(id)}/alert-rules/${enc(ruleId)}`, "DELETE"),
  flowGroups: (id: string) => request<FlowGroupsResponse>(`/api/v1/flows/${enc(id)}/groups`),
  flowAcls: (id: string) => request<FlowAclView>(`/api/v1/flows/${enc(id)}/acls`),
  syncFlowAcls: (id: string) => request<FlowAclSyncResult>(`/api/v1/flows/${enc(id)}/acls/sync`, "POST"),

  readiness: (id: string) => request<FailoverReadiness>(`/api/v1/flows/${enc(id)}/readiness`),
  dryRunFailover: (id: string, input: Omit<FailoverInput, "dryRun">) =>
    request<FailoverPlan>(`/api/v1/flows/${enc(id)}/failover`, "POST", { ...input, dryRun: true }),
  startFailover: (id: string, input: Omit<FailoverInput, "dryRun">) =>
    request<FailoverRunView>(`/api/v1/flows/${enc(id)}/failover`, "POST", { ...input, dryRun: false }),
  failovers: (id: string) => request<{ items: FailoverRunView[] }>(`/api/v1/flows/${enc(id)}/failovers`),
  failoverRun: (id: string, runId: string) =>
    request<FailoverRunView>(`/api/v1/flows/${enc(id)}/failovers/${enc(runId)}`),
  cancelFailover: (id: string, runId: string) =>
    request<FailoverRunView>(`/api/v1/flows/${enc(id)}/failovers/${enc(runId)}/cancel`, "POST"),

  importMm2: (text: string, apply: boolean) =>
    request<ImportResponse>(`/api/v1/import/mm2-properties?apply=${apply}`, "POST", undefined, text),
  exportMm2: () => request<string>("/api/v1/export/mm2-properties"),

  users: () => request<{ items: UserItem[] }>("/api/v1/users"),
  createUser: (input: { email: string; password: string; role: RoleName }) =>
    request<UserItem>("/api/v1/users", "POST", input),
  updateUser: (id: string, input: { role?: RoleName; password?: string; disabled?: boolean }) =>
    request<UserItem>(`/api/v1/users/${enc(id)}`, "PATCH", input),
  tokens: () => request<{ items: TokenItem[] }>("/api/v1/tokens"),
  createToken: (input: { name: string; role: RoleName; expiresInDays?: number }) =>
    request<TokenItem & { token: string }>("/api/v1/tokens", "POST", input),
  revokeToken: (id: string) => request<void>(`/api/v1/tokens/${enc(id)}`, "DELETE"),
  webhooks: () => request<{ items: WebhookItem[] }>("/api/v1/webhooks"),
  createWebhook: (input: Partial<WebhookInput>) => request<WebhookItem>("/api/v1/webhooks", "POST", input),
  deleteWebhook: (id: string) => request<void>(`/api/v1/webhooks/${enc(id)}`, "DELETE"),
  audit: (before?: number) =>
    request<{ items: AuditItem[] }>(`/api/v1/audit?limit=100${before ? `&before=${before}` : ""}`),
};

/** A link, not a fetch: the browser downloads the NDJSON file itself (the session cookie goes along). */
export const divergentRecordsUrl = (flowId: string, runId: string) =>
  `/api/v1/flows/${enc(flowId)}/failovers/${enc(runId)}/divergent`;
