/*
 * MM2's topic ACL sync (`sync.topic.acls.enabled`, MirrorSourceConnector.syncTopicAcls), as a pure
 * plan: from the source's ACL bindings on the flow's topics, the bindings the target's remote topics
 * should have. MM2's rules: topic ACLs only, LITERAL patterns only, ALLOW WRITE never copied (only
 * the replication writes to a remote topic), ALLOW ALL copied as ALLOW READ; bindings are created,
 * never deleted, so a binding only the target has is left alone. MirrorDeck adds a per-flow
 * principal mapping (a source principal may be called something else on the target).
 */

export type AclPermission = "ALLOW" | "DENY";
export type AclPatternType = "LITERAL" | "PREFIXED" | "MATCH" | "ANY" | "UNKNOWN";

/** One ACL binding on a topic, in Kafka's names (`User:alice`, `*` host, `READ`). */
export interface TopicAclBinding {
  topic: string;
  patternType: AclPatternType;
  principal: string;
  host: string;
  operation: string;
  permission: AclPermission;
}

export interface TopicAclPlanInput {
  /** The source's topic ACL bindings (every pattern type; the plan filters). */
  source: readonly TopicAclBinding[];
  /** The target's topic ACL bindings. */
  target: readonly TopicAclBinding[];
  /** Whether the flow replicates this source topic (its topic selection). */
  selects: (topic: string) => boolean;
  /** The remote topic's name on the target (the replication policy). */
  remoteName: (topic: string) => string;
  /** Source principal → target principal; principals not listed keep their name. */
  principalMap?: Readonly<Record<string, string>>;
  /**
   * Every remote topic of the flow's selected source topics: target bindings on these count as the
   * flow's (target-only when not from the source), also where the source topic has no ACL.
   */
  remoteTopics?: Iterable<string>;
}

export interface TopicAclPlan {
  /** What the target's remote topics should have, from the source. */
  desired: TopicAclBinding[];
  /** Desired and missing on the target: what the next sync creates. */
  toCreate: TopicAclBinding[];
  /** Desired and already on the target. */
  present: TopicAclBinding[];
  /** On the flow's remote topics on the target but not from the source: left alone. */
  targetOnly: TopicAclBinding[];
}

/** Identity of a binding (Kafka treats equal fields as the same binding). */
export function aclKey(b: TopicAclBinding): string {
  return [b.topic, b.patternType, b.principal, b.host, b.operation, b.permission].join("\u0000");
}

/** The target binding MM2 makes of a source binding, or null when MM2 does not copy it. */
export function targetAclBinding(
  binding: TopicAclBinding,
  remoteName: (topic: string) => string,
  principalMap: Readonly<Record<string, string>> = {},
): TopicAclBinding | null {
  if (binding.patternType !== "LITERAL") return null;
  if (binding.permission === "ALLOW" && binding.operation === "WRITE") return null;
  const operation =
    binding.permission === "ALLOW" && binding.operation === "ALL" ? "READ" : binding.operation;
  return {
    topic: remoteName(binding.topic),
    patternType: "LITERAL",
    principal: principalMap[binding.principal] ?? binding.principal,
    host: binding.host,
    operation,
    permission: binding.permission,
  };
}

export function planTopicAclSync(input: TopicAclPlanInput): TopicAclPlan {
  const desiredByKey = new Map<string, TopicAclBinding>();
  const remoteTopics = new Set<string>(input.remoteTopics ?? []);
  for (const binding of input.source) {
    if (binding.patternType !== "LITERAL" || !input.selects(binding.topic)) continue;
    const mapped = targetAclBinding(binding, input.remoteName, input.principalMap);
    if (mapped === null) continue;
    remoteTopics.add(mapped.topic);
    desiredByKey.set(aclKey(mapped), mapped);
  }
  const targetKeys = new Set(input.target.map(aclKey));
  const desired = [...desiredByKey.values()].sort(byKey);
  return {
    desired,
    toCreate: desired.filter((b) => !targetKeys.has(aclKey(b))),
    present: desired.filter((b) => targetKeys.has(aclKey(b))),
    targetOnly: input.target
      .filter((b) => remoteTopics.has(b.topic) && !desiredByKey.has(aclKey(b)))
      .sort(byKey),
  };
}

function byKey(a: TopicAclBinding, b: TopicAclBinding): number {
  return aclKey(a).localeCompare(aclKey(b));
}
