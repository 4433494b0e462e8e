import { AppError } from "@mirrordeck/contracts";
import { type ClusterConnection, createKafka } from "./kafka-connection.ts";

export interface TopicSummary {
  name: string;
  partitions: number;
  /** Kafka's own (`__consumer_offsets`, …) or MM2-internal topics. */
  internal: boolean;
}

export interface GroupSummary {
  groupId: string;
  protocolType: string;
  state: string;
  members: number;
}

const INTERNAL = /^__|\.internal$|^heartbeats$|\.heartbeats$/;

/** Runs `work` with a connected admin client, bounded by `timeoutMs`; failures become AppErrors. */
async function withAdmin<T>(
  cluster: ClusterConnection,
  timeoutMs: number,
  work: (admin: ReturnType<ReturnType<typeof createKafka>["admin"]>) => Promise<T>,
): Promise<T> {
  const admin = createKafka(cluster, {
    retry: { retries: 1, initialRetryTime: 200, maxRetryTime: 1_000 },
  }).admin();
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      (async () => {
        await admin.connect();
        return work(admin);
      })(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new AppError("CLUSTER_UNREACHABLE", `No answer from ${cluster.alias} within ${timeoutMs} ms.`),
            ),
          timeoutMs,
        );
      }),
    ]);
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError("CLUSTER_UNREACHABLE", `Cannot read ${cluster.alias}: ${(error as Error).message}`);
  } finally {
    clearTimeout(timer);
    await admin.disconnect().catch(() => {});
  }
}

export function listTopicSummaries(cluster: ClusterConnection, timeoutMs = 10_000): Promise<TopicSummary[]> {
  return withAdmin(cluster, timeoutMs, async (admin) => {
    const { topics } = await admin.fetchTopicMetadata();
    return topics
      .map((t) => ({ name: t.name, partitions: t.partitions.length, internal: INTERNAL.test(t.name) }))
      .sort((a, b) => a.name.localeCompare(b.name));
  });
}

export function listGroupSummaries(cluster: ClusterConnection, timeoutMs = 10_000): Promise<GroupSummary[]> {
  return withAdmin(cluster, timeoutMs, async (admin) => {
    const { groups } = await admin.listGroups();
    const ids = groups.map((g) => g.groupId);
    const described = ids.length === 0 ? { groups: [] } : await admin.describeGroups(ids);
    const byId = new Map(described.groups.map((g) => [g.groupId, g]));
    return groups
      .map((g) => ({
        groupId: g.groupId,
        protocolType: g.protocolType,
        state: byId.get(g.groupId)?.state ?? "Unknown",
        members: byId.get(g.groupId)?.members.length ?? 0,
      }))
      .sort((a, b) => a.groupId.localeCompare(b.groupId));
  });
}
