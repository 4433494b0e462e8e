import { type ClusterConnection, createKafka } from "@mirrordeck/kafka";
import type { Admin, ConfigEntries, ConfigResourceTypes, Kafka, RetryOptions } from "kafkajs";
import type {
  ClusterAdmin,
  NewTopicSpec,
  PartitionOffsets,
  TopicConfigEntry,
} from "../ports/cluster-admin.ts";
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
): ClusterAdmin {
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

  return {
    alias: cluster.alias,

    listTopics: () => call("listing topics", undefined, (admin) => admin.listTopics()),

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
        // Resolves false (no error) when the topic exists; otherwise waits for partition leaders.
        await admin.createTopics({
          waitForLeaders: true,
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

    deleteTopic: (topic) =>
      call("deleting topic", topic, async (admin) => {
        // kafkajs retries UNKNOWN_TOPIC_OR_PARTITION for ~10 s here: a missing topic is a no-op.
        if (!(await partitionCounts(admin, [topic])).has(topic)) return;
        await admin.deleteTopics({ topics: [topic], timeout });
        trackedTopics.delete(topic);
      }),

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
