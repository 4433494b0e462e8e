import type {
  ClusterHealth,
  ClusterView,
  FlowLeaderStatus,
  FlowLiveSummary,
  FlowView,
} from "@mirrordeck/contracts";

export interface ClusterListItem extends ClusterView {
  health: ClusterHealth;
}

export interface FlowListItem extends FlowView {
  live: FlowLiveSummary;
  heartbeat: { ageMs: number | null; stale: boolean } | null;
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

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

function readCookie(name: string): string | null {
  const match = document.cookie.split("; ").find((c) => c.startsWith(`${name}=`));
  return match === undefined ? null : decodeURIComponent(match.slice(name.length + 1));
}

async function requestJson<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (init.method !== undefined && init.method !== "GET") {
    // The session's CSRF token, echoed from its cookie (the API checks it on every write).
    headers["x-csrf-token"] = readCookie("mirrordeck_csrf") ?? "";
    if (init.body !== undefined) headers["content-type"] = "application/json";
  }
  const response = await fetch(path, {
    method: init.method ?? "GET",
    headers,
    ...(init.body !== undefined && { body: JSON.stringify(init.body) }),
  });
  if (response.status === 401 && typeof window !== "undefined" && !path.startsWith("/api/v1/auth/")) {
    window.location.assign(`/login?next=${encodeURIComponent(window.location.pathname)}`);
  }
  if (response.status === 204) return undefined as T;
  const body = (await response.json().catch(() => null)) as {
    error?: { code: string; message: string };
  } | null;
  if (!response.ok) {
    throw new ApiError(
      body?.error?.code ?? "HTTP_ERROR",
      body?.error?.message ?? `Request failed (${response.status})`,
      response.status,
    );
  }
  return body as T;
}

const getJson = <T>(path: string) => requestJson<T>(path);

export const api = {
  logout: () => requestJson<void>("/api/v1/auth/logout", { method: "POST" }),
  clusters: () => getJson<{ items: ClusterListItem[] }>("/api/v1/clusters"),
  flows: () => getJson<{ items: FlowListItem[] }>("/api/v1/flows"),
  flowGroups: (flowId: string) =>
    getJson<FlowGroupsResponse>(`/api/v1/flows/${encodeURIComponent(flowId)}/groups`),
};
