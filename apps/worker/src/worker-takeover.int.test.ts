// Three real worker processes share a flow; one is killed with SIGKILL mid-stream while a
// producer keeps writing. Every record must arrive (zero loss, order kept per partition), the
// dead worker's partitions must be taken over, and duplicates are counted.
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PgPositionStore } from "../../../packages/db/src/index.ts";
import { repoRoot } from "../../../scripts/db/paths.ts";
import {
  createFlowRow,
  type FlowFixture,
  migratedDatabaseWithClusters,
} from "../../../scripts/test-support/flow-fixtures.ts";
import {
  createTopic,
  deleteTopics,
  eastBootstrap,
  produceKeyed,
  type ReadRecord,
  readAll,
  topicEndOffsets,
  uniqueName,
  waitFor,
  westBootstrap,
} from "../../../scripts/test-support/kafka-records.ts";
import { scrape, sumOf } from "../../../scripts/test-support/prometheus-text.ts";

const PARTITIONS = 6;
const BATCHES = 60;
const BATCH = 200;
const TOTAL = BATCHES * BATCH;

let fixture: FlowFixture;
const workers = new Map<string, ChildProcess>();
const topic = uniqueName("takeover");
const remote = `east.${topic}`;

// Each worker serves its Prometheus metrics on its own port; w3's want a token.
const METRICS_PORT = { w1: 19_461, w2: 19_462, w3: 19_463 } as const;
const METRICS_TOKEN = "takeover-test-metrics-token";
type WorkerId = keyof typeof METRICS_PORT;
const metricsOf = (id: WorkerId) =>
  scrape(`http://127.0.0.1:${METRICS_PORT[id]}/metrics`, id === "w3" ? METRICS_TOKEN : undefined);

function startWorker(id: WorkerId, databaseUrl: string): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(repoRoot, "apps/worker/src/main.ts")], {
    cwd: repoRoot,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      MIRRORDECK_WORKER_ID: id,
      LOG_LEVEL: "warn",
      MIRRORDECK_METRICS_PORT: String(METRICS_PORT[id]),
      ...(id === "w3" && { MIRRORDECK_METRICS_TOKEN: METRICS_TOKEN }),
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
  workers.set(id, child);
  return child;
}

function exited(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null
    ? Promise.resolve(child.exitCode)
    : new Promise((r) => child.once("exit", (code) => r(code)));
}

beforeAll(async () => {
  fixture = await migratedDatabaseWithClusters();
  await createTopic(eastBootstrap, topic, PARTITIONS);
});

afterAll(async () => {
  for (const child of workers.values()) if (child.exitCode === null) child.kill("SIGKILL");
  await deleteTopics(eastBootstrap, [topic]);
  await deleteTopics(westBootstrap, [remote]);
  await fixture.cleanup();
});

/** Per partition: records lost (in source, never on target), duplicates, and order violations. */
function compare(source: ReadRecord[], target: ReadRecord[]) {
  let lost = 0;
  let duplicates = 0;
  let outOfOrder = 0;
  for (let p = 0; p < PARTITIONS; p++) {
    const want = source.filter((r) => r.partition === p).map((r) => r.value!.toString());
    const got = target.filter((r) => r.partition === p).map((r) => r.value!.toString());
    const seen = new Set<string>();
    const firstOccurrences: string[] = [];
    for (const v of got) {
      if (seen.has(v)) duplicates += 1;
      else {
        seen.add(v);
        firstOccurrences.push(v);
      }
    }
    lost += want.filter((v) => !seen.has(v)).length;
    if (firstOccurrences.join("\n") !== want.join("\n")) outOfOrder += 1;
  }
  return { lost, duplicates, outOfOrder };
}

describe("worker takeover", () => {
  it("loses nothing when one of three workers is killed with SIGKILL mid-stream, and hands its partitions over", async () => {
    const flowId = await createFlowRow(fixture, {
      name: uniqueName("takeover"),
      topicsInclude: topic.replace(/[.-]/g, "\\$&"),
    });
    await fixture.db.flow.update({
      where: { id: flowId },
      data: { enabled: true, tasksMax: 3, settings: { commitIntervalMs: 500 } },
    });
    for (const id of ["w1", "w2", "w3"] as const) startWorker(id, fixture.url);
    const store = new PgPositionStore(fixture.db);
    // The flow also replicates east's `heartbeats` (MM2 always does); these checks are about the topic.
    const positions = { read: async (id: string) => (await store.read(id)).filter((p) => p.topic === topic) };

    // Producer runs in the background for the whole test.
    let produced = 0;
    const producing = (async () => {
      for (let b = 0; b < BATCHES; b++) {
        await produceKeyed(eastBootstrap, topic, BATCH, { startIndex: b * BATCH, batch: BATCH });
        produced += BATCH;
        await new Promise((r) => setTimeout(r, 250));
      }
    })();

    // Wait until all three workers own partitions and copying is under way.
    await waitFor(
      async () => {
        const owners = new Set((await positions.read(flowId)).map((p) => p.owner));
        const copied = (await topicEndOffsets(westBootstrap, remote)).reduce((a, b) => a + b, 0);
        return owners.size === 3 && copied > 1_000;
      },
      90_000,
      "three workers sharing the flow",
    );
    const before = await positions.read(flowId);
    const victimPartitions = before.filter((p) => p.owner === "w2").map((p) => p.partition);
    expect(victimPartitions.length).toBeGreaterThan(0);

    // Task ownership as Prometheus sees it: every partition of the flow (the topic's 6 and
    // east's heartbeats) owned exactly once, balanced over the three workers.
    const flow = { flow_id: flowId };
    const ownedBy = async (ids: readonly WorkerId[]) =>
      Promise.all(ids.map(async (id) => sumOf(await metricsOf(id), "mirrordeck_partitions_owned", flow)));
    let owned: number[] = [];
    await waitFor(
      async () => {
        owned = await ownedBy(["w1", "w2", "w3"]);
        // Each worker's gauge moves with its next snapshot after the rebalance: wait for all three.
        return owned.reduce((a, b) => a + b, 0) === PARTITIONS + 1 && owned.every((n) => n > 0);
      },
      30_000,
      "every partition owned once in the workers' metrics",
    );
    expect(Math.max(...owned) - Math.min(...owned)).toBeLessThanOrEqual(1);
    const claimsBefore = await Promise.all(
      (["w1", "w3"] as const).map(async (id) =>
        sumOf(await metricsOf(id), "mirrordeck_partition_claims_total", flow),
      ),
    );
    const unauthorised = await fetch(`http://127.0.0.1:${METRICS_PORT.w3}/metrics`);
    expect(unauthorised.status).toBe(401);

    const killedAt = Date.now();
    workers.get("w2")!.kill("SIGKILL");
    await exited(workers.get("w2")!);
    // Takeover: every partition of w2 owned by a live worker again.
    await waitFor(
      async () => {
        const now = await positions.read(flowId);
        return victimPartitions.every((p) => {
          const owner = now.find((x) => x.partition === p)?.owner;
          return owner === "w1" || owner === "w3";
        });
      },
      30_000,
      "the killed worker's partitions to be taken over",
    );
    const takeoverSeconds = (Date.now() - killedAt) / 1000;
    // The takeover shows in the survivors' metrics: they own everything, and claimed more.
    await waitFor(
      async () => (await ownedBy(["w1", "w3"])).reduce((a, b) => a + b, 0) === PARTITIONS + 1,
      30_000,
      "the survivors' metrics owning every partition",
    );
    const claimsAfter = await Promise.all(
      (["w1", "w3"] as const).map(async (id) =>
        sumOf(await metricsOf(id), "mirrordeck_partition_claims_total", flow),
      ),
    );
    expect(claimsAfter[0]! + claimsAfter[1]!).toBeGreaterThanOrEqual(
      claimsBefore[0]! + claimsBefore[1]! + victimPartitions.length,
    );

    await producing;
    const sourceEnds = await topicEndOffsets(eastBootstrap, topic);
    await waitFor(
      async () => {
        const stored = await positions.read(flowId);
        return stored.length === PARTITIONS && stored.every((p) => p.nextOffset === sourceEnds[p.partition]);
      },
      90_000,
      "every partition copied to its end",
    );

    const source = await readAll(eastBootstrap, topic, TOTAL);
    const targetCount = (await topicEndOffsets(westBootstrap, remote)).reduce((a, b) => a + b, 0);
    const target = await readAll(westBootstrap, remote, targetCount);
    const result = compare(source, target);
    console.log(
      `takeover: produced ${produced}, source ${source.length}, target ${target.length}, lost ${result.lost}, ` +
        `duplicates ${result.duplicates}, takeover ${takeoverSeconds.toFixed(1)} s`,
    );
    expect(source.length).toBe(TOTAL);
    expect(result.lost).toBe(0);
    expect(result.outOfOrder).toBe(0);
    expect(target.length).toBe(TOTAL + result.duplicates);
    expect(takeoverSeconds).toBeLessThan(30);
    // What the survivors copied is counted per topic, and their lag for it is 0 once caught up.
    const survivors = await Promise.all((["w1", "w3"] as const).map(metricsOf));
    const copiedBySurvivors = survivors
      .map((m) => sumOf(m, "mirrordeck_records_copied_total", { ...flow, topic }))
      .reduce((a, b) => a + b, 0);
    expect(copiedBySurvivors).toBeGreaterThan(0);
    expect(copiedBySurvivors).toBeLessThanOrEqual(target.length);
    await waitFor(
      async () => {
        const lags = await Promise.all(
          (["w1", "w3"] as const).map(async (id) =>
            sumOf(await metricsOf(id), "mirrordeck_lag_records", { ...flow, topic }),
          ),
        );
        return lags.every((lag) => lag === 0);
      },
      15_000,
      "lag 0 in the survivors' metrics",
    );

    // The survivors stop cleanly on SIGTERM.
    for (const id of ["w1", "w3"]) workers.get(id)!.kill("SIGTERM");
    expect(await exited(workers.get("w1")!)).toBe(0);
    expect(await exited(workers.get("w3")!)).toBe(0);
  }, 240_000);
});
