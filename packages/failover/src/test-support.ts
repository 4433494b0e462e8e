// Shared by the failover integration tests: the workers' job chain in process, and a flow runner.
import type { FailoverStepJob, FlowLeaderStatus } from "@mirrordeck/contracts";
import { type Database, findFailoverRun, PgPositionStore } from "@mirrordeck/db";
import { FlowRunner } from "@mirrordeck/replication";
import { advanceFailoverRun, type RunDeps } from "./advance-run.ts";
import { type FailoverContext, openFailoverContext } from "./failover-context.ts";
import { flowSpecFromRow } from "./flow-spec-from-row.ts";

export const noSecrets = () => {
  throw new Error("no secrets in this test");
};

export async function flowWithConnections(db: Database, flowId: string) {
  return db.flow.findUniqueOrThrow({
    where: { id: flowId },
    include: { sourceCluster: true, targetCluster: true },
  });
}

/** A flow's runner in this process, with the leader status a worker would publish to Redis. */
export async function startFlow(db: Database, flowId: string, owner: string) {
  const leaders = new Map<string, FlowLeaderStatus>();
  const runner = new FlowRunner(flowSpecFromRow(await flowWithConnections(db, flowId), noSecrets), {
    positions: new PgPositionStore(db),
    owner,
    onLeaderStatus: (status) => leaders.set(status.flowId, status),
  });
  await runner.start();
  return { runner, leader: () => leaders.get(flowId) ?? null };
}

/** The job chain the workers run, in process: due jobs one at a time, in order of due time. */
export function localRunQueue(db: Database, leaderStatus: (flowId: string) => FlowLeaderStatus | null) {
  const jobs: { job: FailoverStepJob; at: number }[] = [];
  const deps: RunDeps = {
    db,
    workerId: "test",
    log: { info: () => {}, warn: () => {} },
    flowsChanged: async () => {},
    openContext: (flow): FailoverContext =>
      openFailoverContext(db, flow, {
        secrets: noSecrets,
        leaderStatus: async (id) => leaderStatus(id),
        adminTimeoutMs: 3_000,
      }),
    schedule: async (job, delayMs) => {
      jobs.push({ job, at: Date.now() + delayMs });
    },
  };
  return {
    deps,
    pending: () => jobs.length,
    /** Runs due jobs until `done()` holds; `onTick` plays the operator between jobs. */
    async runUntil(
      done: () => Promise<boolean>,
      onTick: () => Promise<void>,
      deadlineMs: number,
    ): Promise<void> {
      const deadline = Date.now() + deadlineMs;
      while (!(await done())) {
        if (Date.now() > deadline) throw new Error("the failover run did not get there in time");
        await onTick();
        jobs.sort((a, b) => a.at - b.at);
        const next = jobs[0];
        if (next === undefined || next.at > Date.now()) {
          await new Promise((r) => setTimeout(r, 200));
          continue;
        }
        jobs.shift();
        await advanceFailoverRun(deps, next.job);
      }
    },
  };
}

export async function runState(db: Database, runId: string) {
  const run = await findFailoverRun(db, runId);
  const steps = (run?.steps ?? []) as { id: string; state: string }[];
  return { run, waiting: steps.find((s) => s.state === "waiting")?.id ?? null };
}

/**
 * Starts the run and plays the operator until it ends: stops the producers and the consumers
 * when the wizard asks for it, as people would.
 */
export async function runAsOperator(
  queue: ReturnType<typeof localRunQueue>,
  db: Database,
  runId: string,
  clients: { producers: { stop: () => Promise<void> }; consumers: { stop: () => Promise<void> } },
): Promise<void> {
  await queue.deps.schedule({ runId, step: "plan" }, 0);
  const stopped = { producers: false, consumers: false };
  await queue.runUntil(
    async () => (await findFailoverRun(db, runId))?.state !== "RUNNING",
    async () => {
      const { waiting } = await runState(db, runId);
      if (waiting === "stop-producers" && !stopped.producers) {
        stopped.producers = true;
        await clients.producers.stop();
      }
      if (waiting === "stop-consumers" && !stopped.consumers) {
        stopped.consumers = true;
        await clients.consumers.stop();
      }
    },
    180_000,
  );
}
