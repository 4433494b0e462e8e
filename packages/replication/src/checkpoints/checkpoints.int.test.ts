import type { FlowLeaderStatus } from "@mirrordeck/contracts";
import { DefaultReplicationPolicy, replicationHops, upstreamClusters } from "@mirrordeck/mm2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PgPositionStore } from "../../../../packages/db/src/index.ts";
import { escapeRegex, testFlowSpec } from "../../../../scripts/test-support/engine-spec.ts";
import {
  createFlowRow,
  type FlowFixture,
  migratedDatabaseWithClusters,
} from "../../../../scripts/test-support/flow-fixtures.ts";
import {
  createTopic,
  deleteTopics,
  eastBootstrap,
  kafkaFor,
  produceKeyed,
  readAll,
  topicEndOffsets,
  uniqueName,
  waitFor,
  westBootstrap,
} from "../../../../scripts/test-support/kafka-records.ts";
import { runMirrorClientProbe } from "../../../../scripts/test-support/mirror-client-probe.ts";
import {
  type DecodedCheckpoint,
  decodeCheckpointRecord,
  decodeHeartbeatRecord,
  latestCheckpoints,
  readInternalTopic,
} from "../../../../scripts/test-support/mm2-topics.ts";
import { FlowRunner } from "../flow-runner.ts";
import type { FlowSpec } from "../flow-spec.ts";

/*
 * MM2's checkpoint and heartbeat behaviour against the real east and west clusters, checked
 * with Kafka's own Java MirrorClient/RemoteClusterUtils reading what the engine wrote.
 */

const RECORDS = 100_000;
const OFFSET_LAG_MAX = 100;
const CHECKPOINTS_TOPIC = "east.checkpoints.internal";

let fixture: FlowFixture;
const cleanup: { bootstrap: string; topic: string }[] = [];

beforeAll(async () => {
  fixture = await migratedDatabaseWithClusters();
});
afterAll(async () => {
  for (const { bootstrap, topic } of cleanup) await deleteTopics(bootstrap, [topic]);
  await fixture.cleanup();
});

async function commitOnEast(
  group: string,
  topic: string,
  partitions: { partition: number; offset: number }[],
) {
  const admin = kafkaFor(eastBootstrap).admin();
  await admin.connect();
  try {
    await admin.setOffsets({
      groupId: group,
      topic,
      partitions: partitions.map((p) => ({ partition: p.partition, offset: String(p.offset) })),
    });
  } finally {
    await admin.disconnect();
  }
}

/** Commits on east and returns when the commit became visible (setOffsets itself takes ~5 s). */
async function commitOnEastTimed(
  group: string,
  topic: string,
  partition: number,
  offset: number,
): Promise<number> {
  const admin = kafkaFor(eastBootstrap).admin();
  await admin.connect();
  let visibleAt = 0;
  const commit = commitOnEast(group, topic, [{ partition, offset }]);
  try {
    while (visibleAt === 0) {
      const [offsets] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
      const p = offsets?.partitions.find((x) => x.partition === partition);
      if (p && Number(p.offset) === offset) visibleAt = Date.now();
      else await new Promise((r) => setTimeout(r, 20));
    }
    await commit;
    return visibleAt;
  } finally {
    await admin.disconnect();
  }
}

async function committedOnWest(group: string, topic: string): Promise<Map<number, number>> {
  const admin = kafkaFor(westBootstrap).admin();
  await admin.connect();
  try {
    const [offsets] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
    return new Map(
      (offsets?.partitions ?? [])
        .filter((p) => p.offset !== "-1")
        .map((p) => [p.partition, Number(p.offset)]),
    );
  } finally {
    await admin.disconnect();
  }
}

const readCheckpoints = () => readInternalTopic(westBootstrap, CHECKPOINTS_TOPIC, decodeCheckpointRecord);

async function waitForCheckpoint(
  group: string,
  topic: string,
  partition: number,
  upstream: number,
  timeoutMs = 30_000,
): Promise<DecodedCheckpoint> {
  let found: DecodedCheckpoint | undefined;
  await waitFor(
    async () => {
      found = latestCheckpoints(await readCheckpoints()).get(`${group}/${topic}/${partition}`);
      return found?.upstream === upstream;
    },
    timeoutMs,
    `checkpoint of ${group} ${topic}-${partition} at upstream ${upstream}`,
  );
  return found!;
}

function checkpointSpec(flowId: string, topicsInclude: string, overrides: Partial<FlowSpec> = {}) {
  return testFlowSpec(flowId, topicsInclude, {
    emitCheckpoints: true,
    emitHeartbeats: true,
    offsetLagMax: OFFSET_LAG_MAX,
    ...overrides,
  });
}

describe("checkpoints, offset translation and heartbeats", () => {
  const big = uniqueName("ckpt-big");
  const sparse = uniqueName("ckpt-sparse");
  const silent = uniqueName("ckpt-silent");
  const group = (name: string) => `${big}-${name}`;
  let flowId: string;
  let runner: FlowRunner | undefined;
  let targetIndexAt: number[] = [];
  const statuses: FlowLeaderStatus[] = [];

  const startRunner = async (owner: string) => {
    runner = new FlowRunner(
      checkpointSpec(flowId, `${escapeRegex(big)}(-trunc)?|${escapeRegex(sparse)}|${escapeRegex(silent)}`),
      {
        positions: new PgPositionStore(fixture.db),
        owner,
        onLeaderStatus: (s) => statuses.push(s),
      },
    );
    await runner.start();
  };

  afterAll(async () => {
    await runner?.stop();
  });

  it("translates groups at 10 %, 50 % and 90 % of a 100,000-record partition within offset.lag.max, never past them", async () => {
    for (const t of [big, sparse, silent]) {
      cleanup.push({ bootstrap: eastBootstrap, topic: t }, { bootstrap: westBootstrap, topic: `east.${t}` });
    }
    await createTopic(eastBootstrap, big, 1);
    await createTopic(eastBootstrap, sparse, 3);
    await createTopic(eastBootstrap, silent, 1);
    await produceKeyed(eastBootstrap, big, RECORDS, { batch: 5_000, valueBytes: 24 });
    // Records in partitions 0 and 1 only: partition 2 never receives one.
    const producer = kafkaFor(eastBootstrap).producer();
    await producer.connect();
    for (const partition of [0, 1]) {
      await producer.send({
        topic: sparse,
        acks: -1,
        messages: Array.from({ length: 50 }, (_, i) => ({ partition, value: `p${partition}-${i}` })),
      });
    }
    await producer.disconnect();

    flowId = await createFlowRow(fixture, { name: uniqueName("ckpt-flow"), topicsInclude: big });
    await startRunner("ckpt-worker-1");
    await waitFor(
      async () => (await topicEndOffsets(westBootstrap, `east.${big}`))[0] === RECORDS,
      120_000,
      `${RECORDS} records on west`,
    );
    // Where each source record landed on the target (x-index header = source offset here).
    const target = await readAll(westBootstrap, `east.${big}`, RECORDS);
    targetIndexAt = new Array<number>(RECORDS);
    for (const r of target) targetIndexAt[r.offset] = Number(String(r.headers["x-index"]));
    const exactDownstream = (committed: number) => targetIndexAt.indexOf(committed);

    // A group that consumed everything, on a partition gone quiet, translates exactly.
    await commitOnEast(group("end"), big, [{ partition: 0, offset: RECORDS }]);
    expect((await waitForCheckpoint(group("end"), `east.${big}`, 0, RECORDS)).downstream).toBe(RECORDS);

    const positions = { g10: 10_037, g50: 50_000, g90: 90_071 };
    const committedAt = new Map<string, number>();
    for (const [name, offset] of Object.entries(positions)) {
      committedAt.set(name, await commitOnEastTimed(group(name), big, 0, offset));
    }
    const errors: Record<string, number> = {};
    const latencies: number[] = [];
    for (const [name, offset] of Object.entries(positions)) {
      const checkpoint = await waitForCheckpoint(group(name), `east.${big}`, 0, offset);
      // Checkpoint latency: from the commit becoming visible on east to the checkpoint's append on west.
      latencies.push(checkpoint.timestamp - committedAt.get(name)!);
      const exact = exactDownstream(offset);
      // Never past the group's position (no loss), and at most offset.lag.max behind it.
      expect(checkpoint.downstream).toBeLessThanOrEqual(exact);
      expect(exact - checkpoint.downstream).toBeLessThan(OFFSET_LAG_MAX);
      // A consumer seeking there on west re-reads only records the group had already consumed.
      expect(targetIndexAt[checkpoint.downstream]).toBeLessThanOrEqual(offset);
      errors[name] = exact - checkpoint.downstream;
    }
    console.log(
      `translation error (records re-read) 10/50/90 %: ${errors.g10}/${errors.g50}/${errors.g90}; ` +
        `checkpoint latency after commit (interval 1 s): ${latencies.join("/")} ms`,
    );

    // Kafka's own RemoteClusterUtils.translateOffsets reads the same answers from west.
    for (const [name, offset] of Object.entries(positions)) {
      const java = (await runMirrorClientProbe(westBootstrap, [
        "translate",
        "east",
        group(name),
        "20000",
      ])) as {
        offsets: { topic: string; partition: number; offset: number }[];
      };
      const ours = latestCheckpoints(await readCheckpoints()).get(`${group(name)}/east.${big}/0`)!;
      expect(ours.upstream).toBe(offset);
      expect(java.offsets).toEqual([{ topic: `east.${big}`, partition: 0, offset: ours.downstream }]);
    }
  });

  it("rewinds a checkpoint when the source group rewinds, and never otherwise", async () => {
    await commitOnEast(group("g50"), big, [{ partition: 0, offset: 20_000 }]);
    const rewound = await waitForCheckpoint(group("g50"), `east.${big}`, 0, 20_000);
    expect(rewound.downstream).toBeLessThanOrEqual(targetIndexAt.indexOf(20_000));
    expect(targetIndexAt.indexOf(20_000) - rewound.downstream).toBeLessThan(OFFSET_LAG_MAX);
    assertMonotonic(await readCheckpoints());
  });

  it("translates a partition that never received a record to 0, and a topic with nothing replicated not at all", async () => {
    await commitOnEast(group("sparse"), sparse, [
      { partition: 0, offset: 20 },
      { partition: 2, offset: 0 },
    ]);
    await commitOnEast(group("silent"), silent, [{ partition: 0, offset: 0 }]);
    const empty = await waitForCheckpoint(group("sparse"), `east.${sparse}`, 2, 0);
    expect(empty.downstream).toBe(0);
    const zero = await waitForCheckpoint(group("sparse"), `east.${sparse}`, 0, 20);
    expect(zero.downstream).toBeLessThanOrEqual(20);
    // Several more rounds: still no checkpoint for the topic nothing was replicated from.
    await new Promise((r) => setTimeout(r, 3_000));
    const latest = latestCheckpoints(await readCheckpoints());
    expect([...latest.keys()].filter((k) => k.startsWith(`${group("silent")}/`))).toEqual([]);
    const status = statuses.at(-1)!;
    const silentStatus = status.groups.find((g) => g.group === group("silent"));
    expect(silentStatus?.partitions[0]?.note).toMatch(/no record .* replicated/);
  });

  it("translates groups on a partition that retention truncated, before and at its new log start", async () => {
    const truncated = `${big}-trunc`;
    cleanup.push(
      { bootstrap: eastBootstrap, topic: truncated },
      { bootstrap: westBootstrap, topic: `east.${truncated}` },
    );
    await createTopic(eastBootstrap, truncated, 1);
    await produceKeyed(eastBootstrap, truncated, 1_000, { batch: 1_000, valueBytes: 24 });
    await runner!.refreshTopicsNow();
    await waitFor(
      async () => (await topicEndOffsets(westBootstrap, `east.${truncated}`).catch(() => [0]))[0] === 1_000,
      30_000,
      "1,000 records on west",
    );
    // Retention removes everything on the source: log start = log end = 1,000.
    const admin = kafkaFor(eastBootstrap).admin();
    await admin.connect();
    await admin.fetchTopicMetadata({ topics: [truncated] }); // kafkajs needs it loaded first
    await admin.deleteTopicRecords({ topic: truncated, partitions: [{ partition: 0, offset: "1000" }] });
    await admin.disconnect();
    await commitOnEast(`${truncated}-done`, truncated, [{ partition: 0, offset: 1_000 }]);
    await commitOnEast(`${truncated}-behind`, truncated, [{ partition: 0, offset: 400 }]);
    const done = await waitForCheckpoint(`${truncated}-done`, `east.${truncated}`, 0, 1_000);
    const behind = await waitForCheckpoint(`${truncated}-behind`, `east.${truncated}`, 0, 400);
    // Target offsets equal source offsets on this fresh topic: never past, within offset.lag.max.
    expect(done.downstream).toBeLessThanOrEqual(1_000);
    expect(1_000 - done.downstream).toBeLessThan(OFFSET_LAG_MAX);
    expect(behind.downstream).toBeLessThanOrEqual(400);
    expect(400 - behind.downstream).toBeLessThan(OFFSET_LAG_MAX);
  });

  it("keeps translation history and monotonic checkpoints across a worker restart", async () => {
    await runner!.stop();
    const before = latestCheckpoints(await readCheckpoints());
    await startRunner("ckpt-worker-2");
    // A group far behind the head, moved after the restart: translated from the history the new
    // leader rebuilt from the offset-syncs topic (MM2 keeps only the latest sync here).
    await commitOnEast(group("g10"), big, [{ partition: 0, offset: 10_555 }]);
    const moved = await waitForCheckpoint(group("g10"), `east.${big}`, 0, 10_555, 60_000);
    const exact = targetIndexAt.indexOf(10_555);
    expect(moved.downstream).toBeLessThanOrEqual(exact);
    expect(exact - moved.downstream).toBeLessThan(OFFSET_LAG_MAX);
    // Nothing the previous leader wrote was rewritten backwards.
    await new Promise((r) => setTimeout(r, 2_500));
    const after = latestCheckpoints(await readCheckpoints());
    for (const [key, previous] of before) {
      const now = after.get(key)!;
      if (now.upstream >= previous.upstream)
        expect(now.downstream).toBeGreaterThanOrEqual(previous.downstream);
    }
    assertMonotonic(await readCheckpoints());
  });

  it("elects one leader among the flow's workers and hands the lead over when it stops", async () => {
    const second = new FlowRunner(
      checkpointSpec(flowId, `${escapeRegex(big)}(-trunc)?|${escapeRegex(sparse)}|${escapeRegex(silent)}`),
      {
        positions: new PgPositionStore(fixture.db),
        owner: "ckpt-worker-3",
        onLeaderStatus: (s) => statuses.push(s),
      },
    );
    await second.start();
    try {
      // Both workers run the flow (the join rebalances the leader group; let it settle): only
      // one of them publishes as leader.
      await new Promise((r) => setTimeout(r, 4_000));
      const from = statuses.length;
      await new Promise((r) => setTimeout(r, 6_000));
      const leaders = [...new Set(statuses.slice(from).map((s) => s.workerId))];
      expect(leaders).toHaveLength(1);

      // The leader stops: the other worker takes the lead and carries on checkpointing.
      const [leader, follower] = leaders[0] === "ckpt-worker-3" ? [second, runner!] : [runner!, second];
      const followerId = leaders[0] === "ckpt-worker-3" ? "ckpt-worker-2" : "ckpt-worker-3";
      await leader.stop();
      runner = follower;
      await commitOnEast(group("g90"), big, [{ partition: 0, offset: 95_000 }]);
      const moved = await waitForCheckpoint(group("g90"), `east.${big}`, 0, 95_000, 60_000);
      expect(statuses.at(-1)!.workerId).toBe(followerId);
      expect(targetIndexAt.indexOf(95_000) - moved.downstream).toBeLessThan(OFFSET_LAG_MAX);
      expect(moved.downstream).toBeLessThanOrEqual(targetIndexAt.indexOf(95_000));
      assertMonotonic(await readCheckpoints());
    } catch (error) {
      await second.stop().catch(() => {});
      throw error;
    }
  });

  it("emits heartbeats both ways, replicates them, and shows multi-hop topologies to Java's MirrorClient", async () => {
    const northHeartbeats = "north.heartbeats";
    cleanup.push(
      { bootstrap: eastBootstrap, topic: northHeartbeats },
      { bootstrap: westBootstrap, topic: `east.${northHeartbeats}` },
    );
    // An upstream cluster "north" whose heartbeats east already replicates (north → east → west).
    await createTopic(eastBootstrap, northHeartbeats, 1, { "cleanup.policy": "compact" });
    const producer = kafkaFor(eastBootstrap).producer();
    await producer.connect();
    const key = Buffer.concat([str("north"), str("east")]);
    const value = Buffer.alloc(10);
    value.writeBigInt64BE(BigInt(Date.now()), 2);
    await producer.send({ topic: northHeartbeats, messages: [{ partition: 0, key, value }] });
    await producer.disconnect();
    await runner!.refreshTopicsNow();

    await waitFor(
      async () => (await topicEndOffsets(westBootstrap, `east.${northHeartbeats}`).catch(() => [0]))[0]! > 0,
      30_000,
      "east.north.heartbeats on west",
    );
    const onWest = await readInternalTopic(westBootstrap, "heartbeats", decodeHeartbeatRecord);
    const onEast = await readInternalTopic(eastBootstrap, "heartbeats", decodeHeartbeatRecord);
    expect(onWest.some((h) => h.source === "east" && h.target === "west")).toBe(true);
    expect(onEast.some((h) => h.source === "west" && h.target === "east")).toBe(true);
    const newest = onWest.filter((h) => h.source === "east").at(-1)!;
    expect(Date.now() - newest.timestamp).toBeLessThan(10_000);

    // The leader sees heartbeats arrive through the data plane (east.heartbeats on west).
    await waitFor(
      async () => (statuses.at(-1)?.heartbeats.lastReplicatedTimestamp ?? 0) > Date.now() - 10_000,
      30_000,
      "a replicated heartbeat seen by the leader",
    );

    const admin = kafkaFor(westBootstrap).admin();
    await admin.connect();
    const westTopics = await admin.listTopics();
    await admin.disconnect();
    const policy = new DefaultReplicationPolicy();
    const java = (await runMirrorClientProbe(westBootstrap, ["topology", "east", "north", "nowhere"])) as {
      upstreamClusters: string[];
      replicationHops: Record<string, number>;
    };
    expect(java.upstreamClusters).toEqual([...upstreamClusters(policy, westTopics)].sort());
    expect(java.upstreamClusters).toEqual(expect.arrayContaining(["east", "north"]));
    expect(java.replicationHops).toEqual({
      east: replicationHops(policy, westTopics, "east"),
      north: replicationHops(policy, westTopics, "north"),
      nowhere: replicationHops(policy, westTopics, "nowhere"),
    });
    expect(java.replicationHops).toEqual({ east: 1, north: 2, nowhere: -1 });
  });
});

describe("sync.group.offsets", () => {
  it("moves an inactive target group forward and leaves an active one alone", async () => {
    const topic = uniqueName("gsync");
    const remote = `east.${topic}`;
    cleanup.push({ bootstrap: eastBootstrap, topic }, { bootstrap: westBootstrap, topic: remote });
    await createTopic(eastBootstrap, topic, 2);
    await produceKeyed(eastBootstrap, topic, 2_000, { batch: 1_000 });
    const flowId = await createFlowRow(fixture, { name: uniqueName("gsync-flow"), topicsInclude: topic });
    const statuses: FlowLeaderStatus[] = [];
    const runner = new FlowRunner(
      checkpointSpec(flowId, escapeRegex(topic), { syncGroupOffsets: true, emitHeartbeats: false }),
      {
        positions: new PgPositionStore(fixture.db),
        owner: "gsync-worker",
        onLeaderStatus: (s) => statuses.push(s),
      },
    );
    const inactive = `${topic}-inactive`;
    const active = `${topic}-active`;
    // A live consumer of `active` on west (it never commits).
    const westConsumer = kafkaFor(westBootstrap).consumer({ groupId: active, maxWaitTimeInMs: 200 });
    try {
      await runner.start();
      await waitFor(
        async () =>
          (await topicEndOffsets(westBootstrap, remote).catch(() => [0])).reduce((a, b) => a + b, 0) >= 2_000,
        60_000,
        "2,000 records on west",
      );
      await westConsumer.connect();
      await westConsumer.subscribe({ topic: remote, fromBeginning: true });
      await westConsumer.run({ autoCommit: false, eachMessage: async () => {} });

      const ends = await topicEndOffsets(eastBootstrap, topic);
      const commits = ends.map((end, partition) => ({ partition, offset: end - 7 }));
      await commitOnEast(inactive, topic, commits);
      await commitOnEast(active, topic, commits);

      let synced = new Map<number, number>();
      await waitFor(
        async () => {
          synced = await committedOnWest(inactive, remote);
          return synced.size === 2;
        },
        30_000,
        "the inactive group's offsets on west",
      );
      const latest = latestCheckpoints(await readCheckpoints());
      for (const [partition, offset] of synced) {
        expect(offset).toBe(latest.get(`${inactive}/${remote}/${partition}`)!.downstream);
      }
      await waitFor(
        async () => statuses.at(-1)?.groups.find((g) => g.group === active)?.offsetSync === "skipped-active",
        30_000,
        "the active group reported as skipped",
      );
      expect(await committedOnWest(active, remote)).toEqual(new Map());
      expect(statuses.at(-1)!.groups.find((g) => g.group === inactive)?.offsetSync).toMatch(
        /synced|up-to-date/,
      );
    } finally {
      await westConsumer.disconnect().catch(() => {});
      await runner.stop();
    }
  });
});

function str(s: string): Buffer {
  const bytes = Buffer.from(s, "utf8");
  const length = Buffer.alloc(2);
  length.writeInt16BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

/** Per key, downstream offsets only go back when the upstream (source group) went back. */
function assertMonotonic(checkpoints: DecodedCheckpoint[]): void {
  const last = new Map<string, DecodedCheckpoint>();
  for (const c of checkpoints) {
    const key = `${c.group}/${c.topic}/${c.partition}`;
    const previous = last.get(key);
    if (previous && c.upstream >= previous.upstream) {
      expect(c.downstream, `${key} at offset ${c.offset}`).toBeGreaterThanOrEqual(previous.downstream);
    }
    last.set(key, c);
  }
}
