import { type ClusterConnection, createKafka } from "@mirrordeck/kafka";
import type { Admin, ConfigEntries, ConfigResourceTypes, Kafka, RetryOptions } from "kafkajs";
import type { TopicAclBinding } from "../acls/topic-acl-plan.ts";
import type { AclAdmin } from "../ports/acl-admin.ts";
import type {
  ClusterAdmin,
  GroupState,
  GroupTopicOffsets,
  NewTopicSpec,
  PartitionOffsets,
  TopicConfigEntry,
} from "../ports/cluster-admin.ts";
import { ANY_ACL, fromKafkajsAcl, TOPIC_ACL_RESOURCE, toKafkajsAcl } from "./acl-codes.ts";
import { AdminError, toAdminError } from "./admin-error.ts";

export { AdminError, type AdminErrorCode, toAdminError } from "./admin-error.ts";

/*
 * kafkajs is CommonJS and Node's ESM loader only sees some of its exports by name
 * (`import { ConfigResourceTypes } from "kafkajs"` fails at runtime), so the few enum values we
 * need are spelled out here, typed against kafkajs's declarations.
 */
/** `ConfigResourceTypes.TOPIC`. */
const TOPIC_RESOURCE = 2 as ConfigResourceTypes;
/** `ConfigSource.TOPIC_CONFIG` (Java: DYNAMIC_TOPIC_CONFIG): the value is set on the topic itself. */
const DYNAMIC_TOPIC_CONFIG = 1;
/**
 * Group protocol types counted as consumer groups: "consumer" (groups of consumers, classic or
 * KIP-848) and "" (groups that only ever had offsets committed, e.g. by MM2 or an admin tool,
 * without a member joining). Connect workers ("connect") and other protocols are not consumer
 * groups and have no offsets to translate.
 */
const CONSUMER_PROTOCOL_TYPES = new Set(["consumer", ""]);

export interface KafkajsClusterAdminOptions {
  /**
   * Retry policy for connecting and for each request (kafkajs default: 5 retries with backoff,
   * so an unreachable cluster takes ~10 s to report).
   */
  retry?: RetryOptions;
  /** Broker-side timeout for create/delete topic and create partitions requests (ms). */
  operationTimeoutMs?: number;
  /** A client to use instead of `createKafka(cluster)` (tests, custom auth). */
  kafka?: Kafka;
}

/**
 * {@link ClusterAdmin} over kafkajs's admin client. Connects lazily on the first call (once; a
 * failed connect is retried on the next call). Every failure is an {@link AdminError}.
 */
export function createKafkajsClusterAdmin(
  cluster: ClusterConnection,
  options: KafkajsClusterAdminOptions = {},
): ClusterAdmin & AclAdmin {
  // The client's retry governs connecting; the admin's governs each request: use it for both.
  const kafka =
    options.kafka ?? createKafka(cluster, options.retry === undefined ? {} : { retry: options.retry });
  const timeout = options.operationTimeoutMs ?? 10_000;
  let connecting: Promise<Admin> | undefined;
  let closed = false;
  /*
   * kafkajs remembers every topic passed to fetchTopicOffsets and refreshes their metadata before
   * each later admin call; once such a topic is deleted by someone else, every call fails with
   * UNKNOWN_TOPIC_OR_PARTITION (tulios/kafkajs#252). We track those topics and, on that error,
   * start a fresh client and retry once.
   */
  const trackedTopics = new Set<string>();
  /**
   * The last commit queued per group. Two kafkajs setOffsets on one group at once would both join
   * it, split its partitions between them and silently skip the seeks of partitions the other got.
   */
  const groupCommits = new Map<string, Promise<void>>();

  const adminClient = (): Promise<Admin> => {
    if (closed) {
      return Promise.reject(
        new AdminError("UNKNOWN", `The admin client of ${cluster.alias} is closed.`, {
          clusterAlias: cluster.alias,
        }),
      );
    }
    if (connecting === undefined) {
      const admin = kafka.admin(options.retry === undefined ? {} : { retry: options.retry });
      const attempt = admin.connect().then(
        () => admin,
        async (error: unknown) => {
          if (connecting === attempt) connecting = undefined;
          await admin.disconnect().catch(() => {});
          throw error;
        },
      );
      connecting = attempt;
    }
    return connecting;
  };

  /** Drops the client (only if it is still `expected`, so concurrent failures reset it once). */
  const reset = async (expected: Promise<Admin> | undefined = connecting): Promise<void> => {
    if (expected === undefined || connecting !== expected) return;
    connecting = undefined;
    trackedTopics.clear();
    await expected.then((admin) => admin.disconnect()).catch(() => {});
  };

  const call = async <T>(operation: string, topic: string | undefined, run: (admin: Admin) => Promise<T>) => {
    const context = {
      clusterAlias: cluster.alias,
      bootstrapServers: cluster.bootstrapServers,
      operation,
      ...(topic !== undefined && { topic }),
      ...(cluster.security?.sasl?.username && { principal: `User:${cluster.security.sasl.username}` }),
    };
    const client = adminClient();
    try {
      return await run(await client);
    } catch (error) {
      if (trackedTopics.size === 0 || !hasKafkaType(error, "UNKNOWN_TOPIC_OR_PARTITION")) {
        throw toAdminError(error, context);
      }
      await reset(client);
      try {
        return await run(await adminClient());
      } catch (retryError) {
        throw toAdminError(retryError, context);
      }
    }
  };

  /** Partition counts of `topics` that exist; one metadata request unless some are missing. */
  const partitionCounts = async (admin: Admin, topics: string[]): Promise<Map<string, number>> => {
    const unique = [...new Set(topics)];
    const counts = new Map<string, number>();
    if (unique.length === 0) return counts;
    let metadata: Awaited<ReturnType<Admin["fetchTopicMetadata"]>>;
    try {
      metadata = await admin.fetchTopicMetadata({ topics: unique });
    } catch (error) {
      // One missing topic fails the whole request, without saying which one: ask for the list.
      if (!hasKafkaType(error, "UNKNOWN_TOPIC_OR_PARTITION")) throw error;
      const existing = new Set(await admin.listTopics());
      const present = unique.filter((topic) => existing.has(topic));
      // kafkajs sends an empty topic list as "all topics".
      if (present.length === 0) return counts;
      metadata = await admin.fetchTopicMetadata({ topics: present });
    }
    for (const topic of metadata.topics) counts.set(topic.name, topic.partitions.length);
    return counts;
  };

  /** Until every partition of a topic just created has a leader (metadata may lag the create). */
  const waitForLeaders = async (admin: Admin, topic: string, partitions: number): Promise<void> => {
    const deadline = Date.now() + timeout;
    for (;;) {
      try {
        const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
        const found = topics[0]?.partitions ?? [];
        if (found.length >= partitions && found.every((p) => p.leader >= 0)) return;
      } catch (error) {
        if (
          !hasKafkaType(error, "UNKNOWN_TOPIC_OR_PARTITION") &&
          !hasKafkaType(error, "LEADER_NOT_AVAILABLE")
        )
          throw error;
      }
      if (Date.now() >= deadline) {
        throw new AdminError(
          "UNKNOWN",
          `Topic "${topic}" was created on ${cluster.alias}, but its partitions had no leader within ${timeout} ms.`,
          { clusterAlias: cluster.alias, topic },
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };

  const describeConfigs = async (
    admin: Admin,
    topics: string[],
  ): Promise<Map<string, TopicConfigEntry[]>> => {
    const response = await admin.describeConfigs({
      resources: topics.map((name) => ({ type: TOPIC_RESOURCE, name })),
      includeSynonyms: false,
    });
    const configs = new Map<string, TopicConfigEntry[]>();
    for (const resource of response.resources) {
      configs.set(resource.resourceName, resource.configEntries.map(toTopicConfigEntry));
    }
    return configs;
  };

  /**
   * kafkajs speaks only the classic DescribeGroups: on Kafka 4.x it reports a KIP-848 group
   * (`group.protocol=consumer`) as "Dead" with no members, running or not, although ListGroups
   * lists it. Such a group is reported "active" (members 0: unknown), so nobody writes offsets into
   * a group whose consumers cannot be seen. A never-used id is neither described nor listed: "absent".
   */
  const groupStates = async (admin: Admin, groupIds: string[]): Promise<Map<string, GroupState>> => {
    const unique = [...new Set(groupIds)];
    const states = new Map<string, GroupState>();
    if (unique.length === 0) return states;
    const { groups } = await admin.describeGroups(unique);
    const described = new Map(groups.map((group) => [group.groupId, group]));
    const dead = unique.filter((id) => (described.get(id)?.state ?? "Dead") === "Dead");
    const listed =
      dead.length === 0
        ? new Set<string>()
        : new Set((await admin.listGroups()).groups.map((g) => g.groupId));
    for (const id of unique) {
      const group = described.get(id);
      const state = group?.state ?? "Dead";
      if (state === "Dead") {
        states.set(id, { state: listed.has(id) ? "active" : "absent", members: 0 });
      } else {
        // Stable, PreparingRebalance, CompletingRebalance (and anything newer): the group has or
        // is getting members, so it is "active"; only "Empty" has committed offsets and no members.
        states.set(id, {
          state: state === "Empty" ? "empty" : "active",
          members: group?.members.length ?? 0,
        });
      }
    }
    return states;
  };

  return {
    alias: cluster.alias,

    listTopics: () => call("listing topics", undefined, (admin) => admin.listTopics()),

    describeTopicAcls: () =>
      call("describing topic ACLs", undefined, async (admin) => {
        const response = await admin.describeAcls({
          resourceType: TOPIC_ACL_RESOURCE,
          resourcePatternType: ANY_ACL,
          operation: ANY_ACL,
          permissionType: ANY_ACL,
        });
        return response.resources.flatMap((resource) =>
          resource.acls
            .map((acl) => fromKafkajsAcl(resource, acl))
            .filter((b): b is TopicAclBinding => b !== null),
        );
      }),

    createTopicAcls: (bindings) =>
      call("creating topic ACLs", undefined, async (admin) => {
        if (bindings.length === 0) return;
        await admin.createAcls({ acl: bindings.map(toKafkajsAcl) });
      }),

    partitionCounts: (topics) =>
      call("reading partition counts", topics.length === 1 ? topics[0] : undefined, (admin) =>
        partitionCounts(admin, topics),
      ),

    partitionOffsets: (topic) =>
      call("reading offsets of topic", topic, async (admin): Promise<PartitionOffsets[]> => {
        // fetchTopicOffsets retries a missing topic for seconds before failing; metadata fails fast.
        await admin.fetchTopicMetadata({ topics: [topic] });
        trackedTopics.add(topic);
        const offsets = await admin.fetchTopicOffsets(topic);
        return offsets
          .map(({ partition, low, high }) => ({ partition, low: Number(low), high: Number(high) }))
          .sort((a, b) => a.partition - b.partition);
      }),

    createTopic: (spec: NewTopicSpec) =>
      call("creating topic", spec.name, async (admin) => {
        // Resolves false (no error) when the topic exists. kafkajs's own wait for leaders gives up
        // on UNKNOWN_TOPIC_OR_PARTITION, which a busy broker answers for a moment after creating
        // the topic: waited for below instead.
        const created = await admin.createTopics({
          waitForLeaders: false,
          timeout,
          topics: [
            {
              topic: spec.name,
              numPartitions: spec.partitions,
              replicationFactor: spec.replicationFactor,
              configEntries: Object.entries(spec.configs).map(([name, value]) => ({ name, value })),
            },
          ],
        });
        if (created) await waitForLeaders(admin, spec.name, spec.partitions);
      }),

    createPartitions: (topic, totalPartitions) =>
      call("adding partitions to topic", topic, async (admin) => {
        const current = (await partitionCounts(admin, [topic])).get(topic);
        if (current === undefined) {
          throw new AdminError("UNKNOWN", `Topic "${topic}" does not exist on ${cluster.alias}.`, {
            clusterAlias: cluster.alias,
            topic,
            kafkaErrorType: "UNKNOWN_TOPIC_OR_PARTITION",
          });
        }
        if (current >= totalPartitions) return;
        try {
          await admin.createPartitions({ timeout, topicPartitions: [{ topic, count: totalPartitions }] });
        } catch (error) {
          // Someone else grew it meanwhile: fine as long as it is now large enough.
          if (!hasKafkaType(error, "INVALID_PARTITIONS")) throw error;
          const now = (await partitionCounts(admin, [topic])).get(topic) ?? 0;
          if (now < totalPartitions) throw error;
        }
      }),

    describeTopicConfigs: (topics) =>
      call("describing configs of topic", topics.length === 1 ? topics[0] : undefined, async (admin) => {
        const unique = [...new Set(topics)];
        if (unique.length === 0) return new Map<string, TopicConfigEntry[]>();
        try {
          return await describeConfigs(admin, unique);
        } catch (error) {
          if (!hasKafkaType(error, "UNKNOWN_TOPIC_OR_PARTITION")) throw error;
          // kafkajs throws the first failed resource's error and drops the others: ask again one
          // topic at a time and leave out the missing ones.
          const missingIsEmpty = (inner: unknown): Map<string, TopicConfigEntry[]> => {
            if (hasKafkaType(inner, "UNKNOWN_TOPIC_OR_PARTITION")) return new Map();
            throw inner;
          };
          if (unique.length === 1) return missingIsEmpty(error);
          const results = await Promise.all(
            unique.map((topic) => describeConfigs(admin, [topic]).catch(missingIsEmpty)),
          );
          return new Map(results.flatMap((result) => [...result]));
        }
      }),

    replaceTopicConfigs: (topic, configs) =>
      call("changing configs of topic", topic, async (admin) => {
        // AlterConfigs (not incremental): every dynamic config not listed here is reset.
        await admin.alterConfigs({
          validateOnly: false,
          resources: [
            {
              type: TOPIC_RESOURCE,
              name: topic,
              configEntries: Object.entries(configs).map(([name, value]) => ({ name, value })),
            },
          ],
        });
      }),

    deleteRecordsBefore: (topic, partition, offset) =>
      call("deleting records of topic", topic, async (admin) => {
        await admin.fetchTopicMetadata({ topics: [topic] });
        trackedTopics.add(topic);
        await admin.deleteTopicRecords({ topic, partitions: [{ partition, offset: String(offset) }] });
      }),

    deleteTopic: (topic) =>
      call("deleting topic", topic, async (admin) => {
        // kafkajs retries UNKNOWN_TOPIC_OR_PARTITION for ~10 s here: a missing topic is a no-op.
        if (!(await partitionCounts(admin, [topic])).has(topic)) return;
        await admin.deleteTopics({ topics: [topic], timeout });
        trackedTopics.delete(topic);
      }),

    listGroups: () =>
      call("listing consumer groups", undefined, async (admin) => {
        const { groups } = await admin.listGroups();
        const ids = groups
          .filter((group) => CONSUMER_PROTOCOL_TYPES.has(group.protocolType))
          .map((group) => group.groupId);
        return [...new Set(ids)].sort();
      }),

    fetchGroupOffsets: (groupId, topics) =>
      call(
        `reading committed offsets of group "${groupId}" on topic`,
        topics?.length === 1 ? topics[0] : undefined,
        async (admin): Promise<GroupTopicOffsets[]> => {
          if (topics?.length === 0) return [];
          const wanted = topics === undefined ? undefined : new Set(topics);
          /*
           * Always ask for every topic the group committed and filter here: kafkajs resolves each
           * named topic's partitions through cluster metadata (slow failure for a missing topic,
           * and it keeps refreshing that topic afterwards, tulios/kafkajs#252), and returns "-1"
           * for each partition without a commit; the all-topics request returns commits only.
           */
          const response = await admin.fetchOffsets({ groupId });
          const result: GroupTopicOffsets[] = [];
          for (const { topic, partitions } of response) {
            if (wanted !== undefined && !wanted.has(topic)) continue;
            const committed = partitions
              .map(({ partition, offset, metadata }) => ({
                partition,
                offset: Number(offset),
                metadata: metadata ?? "",
              }))
              .filter(({ offset }) => offset >= 0)
              .sort((a, b) => a.partition - b.partition);
            if (committed.length > 0) result.push({ topic, partitions: committed });
          }
          return result.sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : 0));
        },
      ),

    describeGroupStates: (groupIds) =>
      call(
        groupIds.length === 1 ? `describing consumer group "${groupIds[0]}"` : "describing consumer groups",
        undefined,
        (admin) => groupStates(admin, groupIds),
      ),

    commitGroupOffsets: (groupId, topic, partitions) => {
      const previous = groupCommits.get(groupId) ?? Promise.resolve();
      const commit = previous.then(() =>
        call(`committing offsets of group "${groupId}" on topic`, topic, async (admin) => {
          if (partitions.length === 0) return;
          const where = `${cluster.alias} (${cluster.bootstrapServers})`;
          const refuse = (code: "UNKNOWN" | "GROUP_ACTIVE", reason: string, kafkaErrorType?: string) =>
            new AdminError(
              code,
              `${where} refused committing offsets of group "${groupId}" on "${topic}": ${reason}`,
              {
                clusterAlias: cluster.alias,
                topic,
                ...(kafkaErrorType !== undefined && { kafkaErrorType }),
              },
            );
          const invalid = partitions.find(
            ({ partition, offset }) =>
              !Number.isSafeInteger(partition) ||
              partition < 0 ||
              !Number.isSafeInteger(offset) ||
              offset < 0,
          );
          if (invalid !== undefined) {
            throw refuse("UNKNOWN", `invalid partition ${invalid.partition} or offset ${invalid.offset}.`);
          }
          // kafkajs would wait for a missing topic's metadata for seconds, and silently skip a
          // partition the topic does not have: check both first.
          const count = (await partitionCounts(admin, [topic])).get(topic);
          if (count === undefined) {
            throw refuse("UNKNOWN", "the topic does not exist.", "UNKNOWN_TOPIC_OR_PARTITION");
          }
          const beyond = partitions.find(({ partition }) => partition >= count);
          if (beyond !== undefined) {
            throw refuse(
              "UNKNOWN",
              `the topic has ${count} partitions, no partition ${beyond.partition}.`,
              "UNKNOWN_TOPIC_OR_PARTITION",
            );
          }
          // kafkajs checks this too, but only with the classic DescribeGroups (blind to KIP-848
          // groups, see groupStates); its own refusal is still mapped to GROUP_ACTIVE by toAdminError.
          const state = (await groupStates(admin, [groupId])).get(groupId);
          if (state?.state === "active") {
            throw refuse(
              "GROUP_ACTIVE",
              state.members > 0
                ? `the consumer group has ${state.members} running member(s). Offsets can only be set while the group has no members.`
                : "the consumer group uses the consumer protocol (KIP-848), whose members kafkajs cannot see. Offsets are only set on classic groups without members.",
            );
          }
          /*
           * setOffsets joins the group with a throw-away kafkajs consumer (subscribed to `topic`),
           * seeks, waits for one fetch cycle (~5 s: kafkajs's default maxWaitTimeInMs, not
           * configurable here) and leaves. The subscription adds `topic` to the admin's metadata
           * targets, hence the tracking.
           */
          trackedTopics.add(topic);
          await admin.setOffsets({
            groupId,
            topic,
            partitions: partitions.map(({ partition, offset }) => ({ partition, offset: String(offset) })),
          });
          // setOffsets only seeks the partitions its consumer was assigned and says nothing of the
          // others (a member that joined meanwhile took them): read back what landed.
          const wanted = new Map(partitions.map(({ partition, offset }) => [partition, offset]));
          const landed = new Map(
            ((await admin.fetchOffsets({ groupId })).find((t) => t.topic === topic)?.partitions ?? []).map(
              ({ partition, offset }) => [partition, Number(offset)],
            ),
          );
          const missed = [...wanted].filter(([partition, offset]) => landed.get(partition) !== offset);
          if (missed.length > 0) {
            throw refuse(
              "GROUP_ACTIVE",
              `the offsets of partition(s) ${missed.map(([p]) => p).join(", ")} did not land: members joined the group meanwhile.`,
            );
          }
        }),
      );
      const settled = commit.then(
        () => {},
        () => {},
      );
      groupCommits.set(groupId, settled);
      void settled.then(() => {
        if (groupCommits.get(groupId) === settled) groupCommits.delete(groupId);
      });
      return commit;
    },

    close: async () => {
      closed = true;
      await reset();
    },
  };
}

/**
 * kafkajs reports `isDefault` only as "source is DEFAULT_CONFIG" (DescribeConfigs v1+), so a
 * value from the broker's server.properties (STATIC_BROKER_CONFIG) or a dynamic broker config
 * reads `isDefault: false` although the topic does not set it. Only DYNAMIC_TOPIC_CONFIG counts as
 * set on the topic here. (v0 responses carry only `isDefault`; kafkajs back-fills configSource.)
 */
export function toTopicConfigEntry(entry: ConfigEntries): TopicConfigEntry {
  const source = entry.configSource as number | undefined;
  return {
    name: entry.configName,
    value: entry.configValue ?? null,
    isDefault: source === undefined ? entry.isDefault : source !== DYNAMIC_TOPIC_CONFIG,
    readOnly: entry.readOnly,
    sensitive: entry.isSensitive,
  };
}

function hasKafkaType(error: unknown, type: string): boolean {
  for (
    let current = error, depth = 0;
    current !== null && typeof current === "object" && depth < 5;
    depth++
  ) {
    const record = current as { type?: unknown; cause?: unknown; errors?: unknown };
    if (record.type === type) return true;
    if (Array.isArray(record.errors) && record.errors.some((inner) => hasKafkaType(inner, type))) return true;
    if (current instanceof AdminError && current.kafkaErrorType === type) return true;
    current = record.cause;
  }
  return false;
}
