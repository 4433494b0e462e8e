import { type FlowAclSyncStatus, type FlowDefinition, flowSettingsSchema } from "@mirrordeck/contracts";
import type { ClusterConnection } from "@mirrordeck/kafka";
import { listTopicSummaries } from "@mirrordeck/kafka";
import {
  createKafkajsClusterAdmin,
  readTopicAclView,
  syncTopicAcls,
  type TopicAclSyncInput,
  type TopicAclSyncResult,
  type TopicAclView,
} from "@mirrordeck/replication";
import { clusterConnection, requireCluster } from "../clusters/cluster-mapping.ts";
import { serverEnv } from "../env.ts";
import { flowLeaderStatus } from "../leader-status.ts";
import { previewSelection } from "./flow-preview.ts";

export interface FlowAclView extends TopicAclView {
  flowId: string;
  enabled: boolean;
  intervalSeconds: number;
  principalMap: Record<string, string>;
  /** The source topics the flow selects now (their remote names are where ACLs go). */
  topics: { name: string; remoteName: string }[];
  /** The flow leader's own rounds, as it last reported them; null when no leader reports. */
  leader: FlowAclSyncStatus | null;
}

const principalOf = (c: ClusterConnection) =>
  c.security?.sasl?.username ? `User:${c.security.sasl.username}` : null;

/** Why the flow's topics could not be listed on the source: nothing can be compared then. */
class TopicsUnlisted {
  constructor(readonly view: TopicAclView) {}
}

/**
 * Opens admins on both clusters, runs `work` with the flow's ACL sync input, closes them. When the
 * source's topics cannot be listed, `work` does not run: the answer is a view saying why.
 */
async function withAclInput<T>(
  flow: FlowDefinition & { id: string },
  work: (input: TopicAclSyncInput, topics: FlowAclView["topics"]) => Promise<T>,
): Promise<T | TopicsUnlisted> {
  const [sourceCluster, targetCluster] = await Promise.all([
    requireCluster(flow.sourceAlias),
    requireCluster(flow.targetAlias),
  ]);
  const source = clusterConnection(sourceCluster);
  const target = clusterConnection(targetCluster);
  const timeoutMs = serverEnv().KAFKA_ADMIN_TIMEOUT_MS;
  let summaries: Awaited<ReturnType<typeof listTopicSummaries>>;
  try {
    summaries = await listTopicSummaries(source, timeoutMs * 2);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return new TopicsUnlisted({
      source: {
        alias: source.alias,
        bindings: null,
        problem: `${source.alias}: its topics could not be listed (${reason}).`,
      },
      target: { alias: target.alias, bindings: null, problem: null },
      plan: null,
    });
  }
  const topics = previewSelection(flow, summaries, [])
    .topics.filter((t) => t.verdict === "replicated" && t.remoteName !== null)
    .map((t) => ({ name: t.name, remoteName: t.remoteName as string }));
  const remoteByName = new Map(topics.map((t) => [t.name, t.remoteName]));
  const admins = [source, target].map((c) =>
    createKafkajsClusterAdmin(c, { operationTimeoutMs: timeoutMs, retry: { retries: 1 } }),
  );
  const [sourceAdmin, targetAdmin] = admins as [(typeof admins)[0], (typeof admins)[0]];
  const settings = flowSettingsSchema.parse(flow.settings ?? {});
  try {
    return await work(
      {
        source: { alias: source.alias, principal: principalOf(source), admin: sourceAdmin },
        target: { alias: target.alias, principal: principalOf(target), admin: targetAdmin },
        topics: topics.map((t) => t.name),
        remoteName: (topic) => remoteByName.get(topic) ?? topic,
        ...(settings.aclPrincipalMap !== undefined && { principalMap: settings.aclPrincipalMap }),
      },
      topics,
    );
  } finally {
    await Promise.all(admins.map((a) => a.close().catch(() => {})));
  }
}

/** Both sides' topic ACLs for the flow's topics now, the difference and what a sync would create. */
export async function flowAclView(flow: FlowDefinition & { id: string }): Promise<FlowAclView> {
  const settings = flowSettingsSchema.parse(flow.settings ?? {});
  const [read, leader] = await Promise.all([
    withAclInput(flow, async (input, topics) => ({ ...(await readTopicAclView(input)), topics })),
    flowLeaderStatus(flow.id),
  ]);
  const view = read instanceof TopicsUnlisted ? { ...read.view, topics: [] } : read;
  return {
    flowId: flow.id,
    enabled: settings.syncTopicAcls,
    intervalSeconds: settings.syncTopicAclsIntervalSeconds,
    principalMap: settings.aclPrincipalMap ?? {},
    ...view,
    leader: leader?.acls ?? null,
  };
}

/** One sync round now, from the web app (the operator's "Sync now"). */
export async function syncFlowAclsNow(flow: FlowDefinition & { id: string }): Promise<TopicAclSyncResult> {
  const result = await withAclInput(flow, (input) => syncTopicAcls(input));
  return result instanceof TopicsUnlisted
    ? { ...result.view, created: 0, problem: result.view.source.problem }
    : result;
}
