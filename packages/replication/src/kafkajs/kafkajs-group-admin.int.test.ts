import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Consumer } from "kafkajs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kafkaLibsDir, loadStackConfig } from "../../../../scripts/stack/stack-config.ts";
import { adminRejection } from "../../../../scripts/test-support/admin-rejection.ts";
import {
  createTopic,
  deleteTopics,
  eastBootstrap,
  kafkaFor,
  produceKeyed,
  uniqueName,
} from "../../../../scripts/test-support/kafka-records.ts";
import { createKafkajsClusterAdmin, toAdminError } from "./kafkajs-cluster-admin.ts";

const east = { alias: "east", bootstrapServers: eastBootstrap };
const admin = createKafkajsClusterAdmin(east);
const topic = uniqueName("it-groups");
const groups: string[] = [];
/** Log-end offsets of the topic's partitions after producing. */
let high: number[] = [];

function newGroup(label: string): string {
  const id = uniqueName(`it-group-${label}`);
  groups.push(id);
  return id;
}

/** A kafkajs consumer in `groupId`, subscribed to `topic`, resolved once it joined the group. */
async function joinedConsumer(groupId: string): Promise<Consumer> {
  const consumer = kafkaFor(eastBootstrap).consumer({ groupId, maxWaitTimeInMs: 200 });
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ eachMessage: async () => {} });
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    joined,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`consumer of ${groupId} did not join in 30 s`)), 30_000);
    }),
  ]).finally(() => clearTimeout(timer));
  return consumer;
}

beforeAll(async () => {
  await createTopic(eastBootstrap, topic, 3);
  await produceKeyed(eastBootstrap, topic, 60);
  high = (await admin.partitionOffsets(topic)).map((p) => p.high);
});

afterAll(async () => {
  await deleteTopics(eastBootstrap, [topic]);
  const raw = kafkaFor(eastBootstrap).admin();
  await raw.connect();
  await raw.deleteGroups(groups).catch(() => {});
  await raw.disconnect();
  await admin.close();
});

describe("kafkajs ConsumerGroupAdmin", () => {
  it("commits offsets for a fresh group, then lists, fetches and describes it", async () => {
    expect(high).toHaveLength(3);
    expect(high.every((h) => h > 1)).toBe(true);
    const group = newGroup("fresh");
    const never = uniqueName("it-group-never");

    const started = Date.now();
    await admin.commitGroupOffsets(group, topic, [
      { partition: 0, offset: high[0]! },
      { partition: 1, offset: 1 },
    ]);
    console.log(`commitGroupOffsets (fresh group) took ${Date.now() - started} ms`);

    expect(await admin.listGroups()).toContain(group);
    expect(await admin.listGroups()).not.toContain(never);

    const expected = [
      {
        topic,
        partitions: [
          { partition: 0, offset: high[0], metadata: "" },
          { partition: 1, offset: 1, metadata: "" },
        ],
      },
    ];
    // Partition 2 was never committed: left out (kafkajs says "-1" for it when asked by topic).
    expect(await admin.fetchGroupOffsets(group)).toEqual(expected);
    expect(await admin.fetchGroupOffsets(group, [topic, `absent-${topic}`])).toEqual(expected);
    expect(await admin.fetchGroupOffsets(group, [`absent-${topic}`])).toEqual([]);
    expect(await admin.fetchGroupOffsets(group, [])).toEqual([]);
    expect(await admin.fetchGroupOffsets(never)).toEqual([]);

    const states = await admin.describeGroupStates([group, never]);
    expect(states).toEqual(
      new Map([
        [group, { state: "empty", members: 0 }],
        [never, { state: "absent", members: 0 }],
      ]),
    );
  });

  it("rejects a missing topic or partition fast, before touching the group", async () => {
    const group = newGroup("invalid");
    let started = Date.now();
    const missing = await adminRejection(
      admin.commitGroupOffsets(group, `absent-${topic}`, [{ partition: 0, offset: 1 }]),
    );
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(missing.kafkaErrorType).toBe("UNKNOWN_TOPIC_OR_PARTITION");
    expect(missing.message).toContain(group);

    started = Date.now();
    const beyond = await adminRejection(
      admin.commitGroupOffsets(group, topic, [{ partition: 3, offset: 1 }]),
    );
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(beyond.message).toContain("no partition 3");
    expect((await admin.describeGroupStates([group])).get(group)).toEqual({ state: "absent", members: 0 });
  });

  it("says active for a group with a running consumer and refuses to commit into it", async () => {
    const group = newGroup("active");
    const consumer = await joinedConsumer(group);
    try {
      expect((await admin.describeGroupStates([group])).get(group)).toEqual({ state: "active", members: 1 });
      expect(await admin.listGroups()).toContain(group);

      const error = await adminRejection(
        admin.commitGroupOffsets(group, topic, [{ partition: 0, offset: 0 }]),
      );
      expect(error.code).toBe("GROUP_ACTIVE");
      expect(error.message).toContain(group);
      expect(error.message).toContain("1 running member");

      // kafkajs's own refusal (its setOffsets checks the group too) maps to the same code.
      const raw = kafkaFor(eastBootstrap).admin();
      await raw.connect();
      const kafkajsError = await raw
        .setOffsets({ groupId: group, topic, partitions: [{ partition: 0, offset: "0" }] })
        .then(
          () => undefined,
          (e: unknown) => e,
        )
        .finally(() => raw.disconnect());
      expect(kafkajsError).toBeDefined();
      const mapped = toAdminError(kafkajsError, { clusterAlias: "east", operation: "committing offsets" });
      expect(mapped.code).toBe("GROUP_ACTIVE");
      expect(mapped.message).toContain("state Stable");
    } finally {
      await consumer.disconnect();
    }

    // Left: the group is empty and keeps the offsets its consumer committed; now it may be written.
    await expect
      .poll(async () => (await admin.describeGroupStates([group])).get(group), { timeout: 15_000 })
      .toEqual({ state: "empty", members: 0 });
    await admin.commitGroupOffsets(group, topic, [{ partition: 2, offset: 1 }]);
    const committed = await admin.fetchGroupOffsets(group, [topic]);
    expect(committed[0]?.partitions.find((p) => p.partition === 2)?.offset).toBe(1);
  });
});

/*
 * A KIP-848 group (group.protocol=consumer, Kafka 4.x) is "Dead" to the classic DescribeGroups that
 * kafkajs speaks, running or not; kafkajs's setOffsets would then join it and commit. Needs a JDK
 * (java running a source file) and the stack's Kafka jars for a Java consumer.
 */
const stack = loadStackConfig();
const clientsJar = path.join(kafkaLibsDir(stack), `kafka-clients-${stack.kafkaVersion}.jar`);
const canRunJavaSource = (() => {
  try {
    return execFileSync("java", ["--list-modules"], { encoding: "utf8" }).includes("jdk.compiler");
  } catch {
    return false;
  }
})();

const JAVA_CONSUMER = `
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.KafkaConsumer;

public class Kip848Consumer {
  public static void main(String[] args) throws Exception {
    Properties p = new Properties();
    p.put("bootstrap.servers", args[0]);
    p.put("group.id", args[2]);
    p.put("group.protocol", "consumer");
    p.put("key.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");
    p.put("value.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
      consumer.subscribe(List.of(args[1]));
      boolean told = false;
      while (true) {
        consumer.poll(Duration.ofMillis(200));
        if (!told && !consumer.assignment().isEmpty()) {
          System.out.println("assigned");
          told = true;
        }
      }
    }
  }
}
`;

describe.skipIf(stack.kafkaMajor < 4 || !canRunJavaSource || !existsSync(clientsJar))(
  "kafkajs ConsumerGroupAdmin with a KIP-848 group",
  () => {
    it("reports it active and refuses to commit into it", async () => {
      const group = newGroup("kip848");
      const dir = mkdtempSync(path.join(tmpdir(), "kip848-"));
      const source = path.join(dir, "Kip848Consumer.java");
      writeFileSync(source, JAVA_CONSUMER);
      let child: ChildProcess | undefined;
      try {
        child = spawn("java", ["-cp", `${kafkaLibsDir(stack)}/*`, source, eastBootstrap, topic, group], {
          stdio: ["ignore", "pipe", "ignore"],
        });
        const running = child;
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(
            () => reject(new Error("the Java consumer was not assigned in 60 s")),
            60_000,
          );
          running.stdout?.on("data", (chunk: Buffer) => {
            if (chunk.toString().includes("assigned")) {
              clearTimeout(timer);
              resolve();
            }
          });
          running.on("exit", (code) => {
            clearTimeout(timer);
            reject(new Error(`the Java consumer exited (${code})`));
          });
        });

        expect((await admin.describeGroupStates([group])).get(group)).toEqual({
          state: "active",
          members: 0,
        });
        const error = await adminRejection(
          admin.commitGroupOffsets(group, topic, [{ partition: 0, offset: 0 }]),
        );
        expect(error.code).toBe("GROUP_ACTIVE");
        expect(error.message).toContain("KIP-848");
      } finally {
        child?.kill("SIGKILL");
        rmSync(dir, { recursive: true, force: true });
      }
    });
  },
);
