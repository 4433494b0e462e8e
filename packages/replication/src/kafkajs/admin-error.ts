/** Stable codes of {@link AdminError}; the UI and the engine branch on these, never on messages. */
export type AdminErrorCode =
  | "TOPIC_AUTHORIZATION_FAILED"
  | "CLUSTER_UNREACHABLE"
  | "INVALID_CONFIG"
  | "POLICY_VIOLATION"
  /** A consumer group's offsets cannot be set while the group has members (or is rebalancing). */
  | "GROUP_ACTIVE"
  | "UNKNOWN";

export interface AdminErrorDetails {
  clusterAlias: string;
  /** The topic the operation was about, when there was one. */
  topic?: string;
  /** Kafka's error name as kafkajs reports it (`INVALID_PARTITIONS`, `UNKNOWN_TOPIC_OR_PARTITION`...). */
  kafkaErrorType?: string;
  cause?: unknown;
}

/** A cluster admin operation that failed, translated from kafkajs into a stable code and words. */
export class AdminError extends Error {
  readonly code: AdminErrorCode;
  readonly clusterAlias: string;
  readonly topic: string | undefined;
  readonly kafkaErrorType: string | undefined;

  constructor(code: AdminErrorCode, message: string, details: AdminErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = "AdminError";
    this.code = code;
    this.clusterAlias = details.clusterAlias;
    this.topic = details.topic;
    this.kafkaErrorType = details.kafkaErrorType;
  }
}

export interface AdminErrorContext {
  clusterAlias: string;
  bootstrapServers?: string;
  /** What was being done, as a phrase: "creating topic", "describing configs of". */
  operation: string;
  topic?: string;
  /** Who MirrorDeck is on the cluster (`User:<sasl user>`), named when the cluster refuses it. */
  principal?: string;
}

/**
 * The ACL a refused operation needs, by the start of its phrase: an authorization failure then
 * says what to grant, not only that something was refused.
 */
const NEEDED_ACL: [prefix: string, acl: string][] = [
  ["describing topic ACLs", "DESCRIBE on the cluster"],
  ["creating topic ACLs", "ALTER on the cluster"],
  ["describing configs of", "DESCRIBE_CONFIGS on the topic"],
  ["changing configs of", "ALTER_CONFIGS on the topic"],
  ["creating topic", "CREATE on the topic (or the cluster)"],
  ["adding partitions to", "ALTER on the topic"],
  ["deleting records of", "DELETE on the topic"],
  ["deleting topic", "DELETE on the topic"],
  ["listing topics", "DESCRIBE on the topics"],
  ["reading", "DESCRIBE on the topic (READ on the group for committed offsets)"],
  ["listing consumer groups", "DESCRIBE on the groups"],
  ["describing consumer group", "DESCRIBE on the group"],
  ["committing offsets of group", "READ on the group"],
];

/** "User:x needs DESCRIBE_CONFIGS on the topic", or the generic advice when the operation is unknown. */
function neededAcl(context: AdminErrorContext): string {
  const who = context.principal ?? "MirrorDeck's principal";
  const acl = NEEDED_ACL.find(([prefix]) => context.operation.startsWith(prefix))?.[1];
  return acl === undefined
    ? `Grant ${who} the ACLs it needs on ${context.clusterAlias}.`
    : `${who} needs ${acl} on ${context.clusterAlias}.`;
}

const AUTHORIZATION_TYPES = new Set([
  "TOPIC_AUTHORIZATION_FAILED",
  "CLUSTER_AUTHORIZATION_FAILED",
  "GROUP_AUTHORIZATION_FAILED",
]);
/** kafkajs's `admin.setOffsets` refuses a group with members with this (untyped) error. */
const GROUP_RUNNING_MESSAGE = /must have no running instances(?:, current state: (\w+))?/;
const INVALID_CONFIG_TYPES = new Set([
  "INVALID_CONFIG",
  "INVALID_PARTITIONS",
  "INVALID_REPLICATION_FACTOR",
  "INVALID_REPLICA_ASSIGNMENT",
]);
const CONNECTION_ERROR_NAMES = new Set([
  "KafkaJSConnectionError",
  "KafkaJSConnectionClosedError",
  "KafkaJSRequestTimeoutError",
  "KafkaJSBrokerNotFound",
  "KafkaJSNoBrokerAvailableError",
  "KafkaJSSASLAuthenticationError",
]);
const CONNECTION_ERROR_TYPES = new Set(["NETWORK_EXCEPTION", "REQUEST_TIMED_OUT"]);

interface ErrorFacts {
  names: string[];
  /** Kafka protocol error types found on the error, its causes and aggregated errors. */
  types: string[];
  messages: string[];
}

/**
 * Translates whatever kafkajs threw into an {@link AdminError}. kafkajs wraps errors in
 * `KafkaJSNumberOfRetriesExceeded` (the original in `cause`), and `createTopics` aggregates
 * per-topic errors in `KafkaJSAggregateError.errors`; all of them are looked at. Works on error
 * shapes (`name`, `type`), not classes: kafkajs's error classes are not importable by name from ESM.
 */
export function toAdminError(error: unknown, context: AdminErrorContext): AdminError {
  if (error instanceof AdminError) return error;
  const facts = collectFacts(error);
  const kafkaErrorType = facts.types[0];
  const details: AdminErrorDetails = {
    clusterAlias: context.clusterAlias,
    ...(context.topic !== undefined && { topic: context.topic }),
    ...(kafkaErrorType !== undefined && { kafkaErrorType }),
    cause: error,
  };
  const what = context.topic === undefined ? context.operation : `${context.operation} "${context.topic}"`;
  const where = context.bootstrapServers
    ? `${context.clusterAlias} (${context.bootstrapServers})`
    : context.clusterAlias;
  const reason = facts.messages[0] ?? String(error);
  const tag = kafkaErrorType === undefined ? "" : ` (${kafkaErrorType})`;

  const authorization = facts.types.find((type) => AUTHORIZATION_TYPES.has(type));
  if (authorization !== undefined) {
    return new AdminError(
      "TOPIC_AUTHORIZATION_FAILED",
      `${where} refused ${what}: not authorized (${authorization}). ${neededAcl(context)}`,
      { ...details, kafkaErrorType: authorization },
    );
  }
  if (facts.types.includes("POLICY_VIOLATION")) {
    return new AdminError(
      "POLICY_VIOLATION",
      `${where} refused ${what}: the cluster's topic policy rejected it (POLICY_VIOLATION).`,
      { ...details, kafkaErrorType: "POLICY_VIOLATION" },
    );
  }
  const running = facts.messages.map((message) => GROUP_RUNNING_MESSAGE.exec(message)).find(Boolean);
  if (running || facts.types.includes("REBALANCE_IN_PROGRESS")) {
    const state = running?.[1] === undefined ? "" : ` (state ${running[1]})`;
    return new AdminError(
      "GROUP_ACTIVE",
      `${where} refused ${what}: the consumer group has running members${state}. Offsets can only be set while the group has no members.`,
      running ? details : { ...details, kafkaErrorType: "REBALANCE_IN_PROGRESS" },
    );
  }
  const invalid = facts.types.find((type) => INVALID_CONFIG_TYPES.has(type));
  if (invalid !== undefined) {
    return new AdminError(
      "INVALID_CONFIG",
      `${where} refused ${what}: ${invalidReason(invalid)} (${invalid}).`,
      {
        ...details,
        kafkaErrorType: invalid,
      },
    );
  }
  if (
    facts.names.some((name) => CONNECTION_ERROR_NAMES.has(name)) ||
    facts.types.some((type) => CONNECTION_ERROR_TYPES.has(type)) ||
    facts.messages.some((message) =>
      /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ETIMEDOUT|Connection timeout/i.test(message),
    )
  ) {
    const auth = facts.names.includes("KafkaJSSASLAuthenticationError");
    return new AdminError(
      "CLUSTER_UNREACHABLE",
      auth
        ? `${where} refused our credentials while ${what}: ${reason}.`
        : `Cannot reach ${where} while ${what}: ${reason}. Check that the brokers run and that this host can reach them.`,
      details,
    );
  }
  return new AdminError("UNKNOWN", `${what} on ${where} failed: ${reason}${tag}.`, details);
}

function invalidReason(type: string): string {
  switch (type) {
    case "INVALID_PARTITIONS":
      return "invalid partition count (partitions can only grow)";
    case "INVALID_REPLICATION_FACTOR":
      return "invalid replication factor (larger than the number of brokers?)";
    case "INVALID_REPLICA_ASSIGNMENT":
      return "invalid replica assignment";
    default:
      return "a config name or value is invalid";
  }
}

function collectFacts(error: unknown): ErrorFacts {
  const facts: ErrorFacts = { names: [], types: [], messages: [] };
  const seen = new Set<unknown>();
  const visit = (value: unknown, depth: number): void => {
    if (value === null || value === undefined || depth > 5 || seen.has(value)) return;
    seen.add(value);
    if (typeof value !== "object") {
      facts.messages.push(String(value));
      return;
    }
    const record = value as {
      name?: unknown;
      type?: unknown;
      message?: unknown;
      cause?: unknown;
      errors?: unknown;
    };
    if (typeof record.name === "string") facts.names.push(record.name);
    if (typeof record.type === "string") facts.types.push(record.type);
    if (typeof record.message === "string" && record.message !== "") facts.messages.push(record.message);
    if (Array.isArray(record.errors)) for (const inner of record.errors) visit(inner, depth + 1);
    visit(record.cause, depth + 1);
  };
  visit(error, 0);
  // Prefer the most specific message: an aggregated or wrapped error's own text over the wrapper's.
  if (facts.messages.length > 1 && facts.messages[0] === "Topic creation errors") facts.messages.shift();
  return facts;
}
