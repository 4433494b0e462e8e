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

async function getJson<T>(path: string): Promise<T> {
  const response = await fetch(path, { headers: { accept: "application/json" } });
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

export const api = {
  clusters: () => getJson<{ items: ClusterListItem[] }>("/api/v1/clusters"),
  flows: () => getJson<{ items: FlowListItem[] }>("/api/v1/flows"),
  flowGroups: (flowId: string) =>
    getJson<FlowGroupsResponse>(`/api/v1/flows/${encodeURIComponent(flowId)}/groups`),
};
