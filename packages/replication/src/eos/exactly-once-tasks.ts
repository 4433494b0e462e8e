import type { ClusterConnection } from "@mirrordeck/kafka";
import type { Message, Producer } from "kafkajs";
import { CoalescingSender } from "../copy/coalescing-sender.ts";
import type { EngineLogger } from "../engine-logger.ts";
import { eosTaskOf } from "./eos-tasks.ts";
import { type FlowPositions, readFlowPositions } from "./position-log.ts";
import type { PositionRecord } from "./position-records.ts";
import { isFencedError, TaskTransaction } from "./task-transaction.ts";

interface HeldTask {
  txn: TaskTransaction;
  sender: CoalescingSender;
  /** Why the open transaction must be aborted rather than committed (a send failed in it). */
  doomed: string | null;
  /**
   * The target lost the producer's sequence for a partition (the remote topic was deleted and
   * created again): only a fresh producer epoch starts its sequences again, so after the abort the
   * task is opened again.
   */
  reopen: boolean;
}

export type TaskCommitOutcome = "committed" | "idle" | "aborted" | "fenced";

/**
 * The exactly-once tasks this worker holds for one flow (ADR 0015): one transactional producer per
 * task, records sent into its open transaction, positions and offset syncs committed with them.
 */
export class ExactlyOnceTasks {
  private readonly tasks = new Map<number, HeldTask>();
  /**
   * Tasks still assigned here whose transaction could not end (target unreachable): opened again
   * by reopenLost. A fenced task is not among them: another worker was given it.
   */
  private readonly lost = new Set<number>();

  constructor(
    private readonly options: {
      target: ClusterConnection;
      sourceAlias: string;
      flowId: string;
      tasksMax: number;
      offsetSyncsTopic: string;
      log: EngineLogger;
    },
  ) {}

  taskOf(topic: string, partition: number): number {
    return eosTaskOf(topic, partition, this.options.tasksMax);
  }

  held(): number[] {
    return [...this.tasks.keys()].sort((a, b) => a - b);
  }

  /**
   * Holds exactly the tasks of `assignment`. Opening a task fences its earlier holder and settles
   * the transaction that one left open, so positions read afterwards (readPositions) include
   * everything it committed and nothing it did not.
   */
  async hold(assignment: Record<string, number[]>): Promise<void> {
    const wanted = new Set<number>();
    for (const [topic, partitions] of Object.entries(assignment)) {
      for (const partition of partitions) wanted.add(this.taskOf(topic, partition));
    }
    this.lost.clear();
    for (const [task, held] of this.tasks) {
      if (wanted.has(task)) continue;
      this.tasks.delete(task);
      await held.txn.close();
    }
    for (const task of wanted) await this.open(task);
  }

  /** Opens again the assigned tasks whose transaction could not end (never a fenced one). */
  async reopenLost(): Promise<void> {
    for (const task of [...this.lost]) {
      await this.open(task);
      this.lost.delete(task);
    }
  }

  private async open(task: number): Promise<void> {
    if (this.tasks.has(task)) return;
    const txn = new TaskTransaction(this.options.target, this.options.sourceAlias, this.options.flowId, task);
    await txn.open();
    // The sender asks for the transaction at each send: it changes at every commit.
    const sender = new CoalescingSender(() => txn.current as unknown as Producer);
    this.tasks.set(task, { txn, sender, doomed: null, reopen: false });
    this.options.log.info({ task, transactionalId: txn.transactionalId }, "holding exactly-once task");
  }

  /** The flow's positions committed on the target (read_committed, to the end). */
  readPositions(): Promise<FlowPositions> {
    return readFlowPositions(this.options.target, this.options.sourceAlias, this.options.flowId);
  }

  /** The sender of the partition's task; null when this worker does not hold it (any more). */
  senderFor(topic: string, partition: number): CoalescingSender | null {
    return this.tasks.get(this.taskOf(topic, partition))?.sender ?? null;
  }

  /** A send in the task's transaction failed: it is aborted at the next commit, not committed. */
  markDoomed(topic: string, partition: number, reason: string, options: { reopen?: boolean } = {}): void {
    const held = this.tasks.get(this.taskOf(topic, partition));
    if (!held) return;
    if (held.doomed === null) held.doomed = reason;
    if (options.reopen) held.reopen = true;
  }

  /** The task's producer was fenced: another worker holds it now; it is dropped here. */
  async drop(task: number): Promise<void> {
    const held = this.tasks.get(task);
    this.tasks.delete(task);
    await held?.txn.close();
  }

  /**
   * Ends the task's transaction: committed with `positions` and `offsetSyncs` unless a send in
   * it failed (then aborted); "idle" when there is nothing to commit. A task whose transaction
   * could not end is dropped ("aborted"): `hold` opens it again.
   */
  async end(
    task: number,
    positions: readonly Omit<PositionRecord, "flowId">[],
    offsetSyncs: Message[],
  ): Promise<TaskCommitOutcome> {
    const held = this.tasks.get(task);
    if (held === undefined) return "fenced";
    try {
      if (held.doomed !== null) {
        this.options.log.warn({ task, reason: held.doomed }, "aborting the task's transaction");
        held.doomed = null;
        await held.txn.abort();
        if (held.reopen) await this.openAgain(task);
        return "aborted";
      }
      if (positions.length === 0 && offsetSyncs.length === 0) return "idle";
      await held.txn.commit(
        positions,
        offsetSyncs.length > 0 ? [{ topic: this.options.offsetSyncsTopic, messages: offsetSyncs }] : [],
      );
      return "committed";
    } catch (error) {
      if (isFencedError(error)) {
        await this.drop(task);
        return "fenced";
      }
      // The transaction could not end as asked (target unreachable…): it is given up — Kafka aborts
      // it, at the latest when the task is opened again (hold) — and its partitions rewind.
      this.options.log.warn({ task, err: String(error) }, "ending the task's transaction failed");
      await this.drop(task);
      this.lost.add(task);
      return "aborted";
    }
  }

  /** A fresh producer epoch for the task (its sequences start again); reopenLost retries a failure. */
  private async openAgain(task: number): Promise<void> {
    await this.drop(task);
    try {
      await this.open(task);
    } catch (error) {
      this.options.log.warn({ task, err: String(error) }, "opening the task again failed; retried");
      this.lost.add(task);
    }
  }

  async closeAll(): Promise<void> {
    for (const task of [...this.tasks.keys()]) await this.drop(task);
  }
}
