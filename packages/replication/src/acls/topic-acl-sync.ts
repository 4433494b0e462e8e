/*
 * One round of topic ACL sync between a flow's two clusters: read both sides' topic ACLs, plan
 * (topic-acl-plan.ts), create what is missing on the target. What a cluster refuses is reported in
 * words naming the permission the flow's principal lacks, never thrown: the sync runs beside the
 * replication and must not stop it.
 */
import type { AclAdmin } from "../ports/acl-admin.ts";
import { planTopicAclSync, type TopicAclBinding, type TopicAclPlan } from "./topic-acl-plan.ts";

export interface AclSide {
  alias: string;
  /** Who the flow is on that cluster (`User:<sasl user>`), for the messages; null when anonymous. */
  principal: string | null;
  admin: AclAdmin;
}

export interface TopicAclSyncInput {
  source: AclSide;
  target: AclSide;
  /** The source topics the flow replicates now. */
  topics: readonly string[];
  remoteName: (topic: string) => string;
  principalMap?: Readonly<Record<string, string>>;
  /** Asked right before creating: false stops the round (the caller lost the right to write). */
  mayCreate?: () => Promise<boolean>;
}

export interface AclSideView {
  alias: string;
  /** The topic bindings read, or null when the cluster could not be read. */
  bindings: TopicAclBinding[] | null;
  /** Why not, in words (no authorizer, a missing permission, unreachable). */
  problem: string | null;
}

export interface TopicAclView {
  source: AclSideView;
  target: AclSideView;
  /** Null unless both sides were read. */
  plan: TopicAclPlan | null;
}

export interface TopicAclSyncResult extends TopicAclView {
  /** Bindings created on the target this round. */
  created: number;
  /** What stopped the round, in words; null when it ran through. */
  problem: string | null;
}

/** Reads both sides and plans, creating nothing (the flow page's ACL tab). */
export async function readTopicAclView(input: TopicAclSyncInput): Promise<TopicAclView> {
  const flowTopics = topicsOf(input);
  const [source, target] = await Promise.all([
    readSide(input.source, flowTopics.source),
    readSide(input.target, flowTopics.remote),
  ]);
  const plan =
    source.bindings === null || target.bindings === null
      ? null
      : planTopicAclSync({
          source: source.bindings,
          target: target.bindings,
          selects: (topic) => flowTopics.source.has(topic),
          remoteName: input.remoteName,
          ...(input.principalMap !== undefined && { principalMap: input.principalMap }),
          remoteTopics: flowTopics.remote,
        });
  return { source, target, plan };
}

/** Reads, plans and creates the missing bindings on the target. */
export async function syncTopicAcls(input: TopicAclSyncInput): Promise<TopicAclSyncResult> {
  const view = await readTopicAclView(input);
  if (view.plan === null) {
    return { ...view, created: 0, problem: view.source.problem ?? view.target.problem };
  }
  if (view.plan.toCreate.length === 0) return { ...view, created: 0, problem: null };
  if (input.mayCreate && !(await input.mayCreate())) {
    return { ...view, created: 0, problem: "the round stopped: this worker no longer leads the flow" };
  }
  try {
    await input.target.admin.createTopicAcls(view.plan.toCreate);
  } catch (error) {
    return { ...view, created: 0, problem: describeAclRefusal(error, input.target, "create") };
  }
  const created = view.plan.toCreate.length;
  const plan: TopicAclPlan = {
    ...view.plan,
    toCreate: [],
    present: [...view.plan.present, ...view.plan.toCreate],
  };
  return { ...view, plan, created, problem: null };
}

function topicsOf(input: TopicAclSyncInput): { source: Set<string>; remote: Set<string> } {
  return {
    source: new Set(input.topics),
    remote: new Set(input.topics.map(input.remoteName)),
  };
}

/**
 * The side's bindings that apply to the flow's topics there: LITERAL ones on them or on `*`, and
 * PREFIXED ones covering one of them (shown, never copied: MM2 copies LITERAL bindings only).
 */
async function readSide(side: AclSide, topics: ReadonlySet<string>): Promise<AclSideView> {
  const applies = (b: TopicAclBinding) =>
    b.patternType === "LITERAL"
      ? b.topic === "*" || topics.has(b.topic)
      : b.patternType === "PREFIXED" && [...topics].some((t) => t.startsWith(b.topic));
  try {
    const bindings = (await side.admin.describeTopicAcls()).filter(applies);
    return { alias: side.alias, bindings, problem: null };
  } catch (error) {
    return { alias: side.alias, bindings: null, problem: describeAclRefusal(error, side, "list") };
  }
}

/** Kafka's error type on the error or anything it wraps. */
function kafkaType(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e !== undefined && e !== null && depth < 5; depth++) {
    const typed = e as { kafkaErrorType?: string; type?: string; cause?: unknown };
    if (typed.kafkaErrorType !== undefined) return typed.kafkaErrorType;
    if (typed.type !== undefined) return typed.type;
    e = typed.cause;
  }
  return undefined;
}

/** Why a cluster refused to list or create ACLs, naming the permission the flow lacks. */
export function describeAclRefusal(
  error: unknown,
  side: Omit<AclSide, "admin">,
  action: "list" | "create",
): string {
  const who = side.principal ?? "the flow's principal";
  switch (kafkaType(error)) {
    case "SECURITY_DISABLED":
      return action === "list"
        ? `${side.alias} has no authorizer (authorizer.class.name is not set), so it has no ACLs to read.`
        : `${side.alias} has no authorizer (authorizer.class.name is not set), so ACLs cannot be created there.`;
    case "CLUSTER_AUTHORIZATION_FAILED":
      return action === "list"
        ? `${side.alias} refused to list its ACLs: ${who} needs DESCRIBE on the cluster.`
        : `${side.alias} refused to create ACLs: ${who} needs ALTER on the cluster.`;
    default: {
      const message = error instanceof Error ? error.message : String(error);
      return `${side.alias}: ${action === "list" ? "listing" : "creating"} topic ACLs failed: ${message}`;
    }
  }
}
