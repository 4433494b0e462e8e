import type { FlowDefinition } from "@mirrordeck/contracts";
import type { GroupSummary, TopicSummary } from "@mirrordeck/kafka";
import {
  createReplicationPolicy,
  DEFAULT_REPLICATION_POLICY_CLASS,
  DefaultGroupFilter,
  DefaultTopicFilter,
  IDENTITY_REPLICATION_POLICY_CLASS,
  isCycle,
} from "@mirrordeck/mm2";

export type TopicVerdict = "replicated" | "not-included" | "excluded" | "internal" | "cycle";

export interface FlowPreview {
  topics: Array<{ name: string; partitions: number; verdict: TopicVerdict; remoteName: string | null }>;
  groups: Array<{ groupId: string; state: string; selected: boolean }>;
  summary: { topicsSelected: number; partitionsSelected: number; groupsSelected: number };
}

type Selection = Pick<
  FlowDefinition,
  | "sourceAlias"
  | "targetAlias"
  | "topicsInclude"
  | "topicsExclude"
  | "groupsInclude"
  | "groupsExclude"
  | "replicationPolicy"
  | "separator"
>;

/**
 * What a flow selects from the source's topics and groups, and why each one is left out, using
 * the same MM2 rules the engine runs (filters, internal topics, cycle detection, heartbeats).
 */
export function previewSelection(
  flow: Selection,
  topics: TopicSummary[],
  groups: GroupSummary[],
): FlowPreview {
  const policy = createReplicationPolicy({
    className:
      flow.replicationPolicy === "IDENTITY"
        ? IDENTITY_REPLICATION_POLICY_CLASS
        : DEFAULT_REPLICATION_POLICY_CLASS,
    separator: flow.separator,
    sourceClusterAlias: flow.sourceAlias,
  });
  const topicFilter = new DefaultTopicFilter({
    topics: flow.topicsInclude,
    topicsExclude: flow.topicsExclude,
  });
  const groupFilter = new DefaultGroupFilter({
    groups: flow.groupsInclude,
    groupsExclude: flow.groupsExclude,
  });
  const verdict = (name: string): TopicVerdict => {
    if (policy.isInternalTopic(name)) return "internal";
    if (isCycle(policy, name, flow.targetAlias)) return "cycle";
    if (policy.isHeartbeatsTopic(name) || topicFilter.shouldReplicateTopic(name)) return "replicated";
    return topicFilter.include.matches(name) ? "excluded" : "not-included";
  };
  const topicRows = topics.map((t) => {
    const v = verdict(t.name);
    return {
      name: t.name,
      partitions: t.partitions,
      verdict: v,
      remoteName: v === "replicated" ? policy.formatRemoteTopic(flow.sourceAlias, t.name) : null,
    };
  });
  const groupRows = groups.map((g) => ({
    groupId: g.groupId,
    state: g.state,
    selected: groupFilter.shouldReplicateGroup(g.groupId),
  }));
  const selected = topicRows.filter((t) => t.verdict === "replicated");
  return {
    topics: topicRows,
    groups: groupRows,
    summary: {
      topicsSelected: selected.length,
      partitionsSelected: selected.reduce((sum, t) => sum + t.partitions, 0),
      groupsSelected: groupRows.filter((g) => g.selected).length,
    },
  };
}
