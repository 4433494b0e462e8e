import { type ClusterConnection, createKafka } from "@mirrordeck/kafka";
import type { Message, Producer, Transaction } from "kafkajs";
import { eosTransactionalId } from "./eos-tasks.ts";
import {
  encodePositionKey,
  encodePositionValue,
  type PositionRecord,
  positionsTopic,
} from "./position-records.ts";

/** Kafka's answers to a producer whose transactional id another producer initialised since. */
const FENCED = /PRODUCER_FENCED|INVALID_PRODUCER_EPOCH|fenced/i;

/** True when `error` says this task's producer was fenced: another worker holds the task now. */
export function isFencedError(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e != null && depth < 5; depth++) {
    const typed = e as { type?: unknown; message?: unknown; cause?: unknown; originalError?: unknown };
    if (FENCED.test(String(typed.type ?? "")) || FENCED.test(String(typed.message ?? ""))) return true;
    e = typed.cause ?? typed.originalError;
  }
  return false;
}

/**
 * One exactly-once task's transactional producer on the target (ADR 0015). Opening it initialises
 * the task's transactional id, which fences any earlier holder (its open transaction is aborted
 * before `open` returns), and begins a transaction; `commit` writes the task's positions into the
 * transaction, commits it and begins the next one.
 */
export class TaskTransaction {
  private producer: Producer | undefined;
  private transaction: Transaction | undefined;
  readonly transactionalId: string;
  private readonly positionsTopic: string;

  constructor(
    private readonly target: ClusterConnection,
    sourceAlias: string,
    private readonly flowId: string,
    readonly task: number,
    private readonly transactionTimeoutMs = 60_000,
  ) {
    this.transactionalId = eosTransactionalId(flowId, task);
    this.positionsTopic = positionsTopic(sourceAlias);
  }

  async open(): Promise<void> {
    const producer = createKafka(this.target, { retry: { retries: 5, maxRetryTime: 5_000 } }).producer({
      transactionalId: this.transactionalId,
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      transactionTimeout: this.transactionTimeoutMs,
    });
    await producer.connect();
    this.producer = producer;
    this.transaction = await producer.transaction();
  }

  /** The transaction records are sent in now (it changes at every commit and abort). */
  get current(): Transaction {
    if (this.transaction === undefined) throw new Error(`${this.transactionalId} is not open`);
    return this.transaction;
  }

  /** Sends the positions into the transaction, with `extra` messages (offset syncs), and commits. */
  async commit(
    positions: readonly Omit<PositionRecord, "flowId">[],
    extra: readonly { topic: string; messages: Message[] }[] = [],
  ): Promise<void> {
    const txn = this.current;
    const topicMessages = [...extra];
    if (positions.length > 0) {
      topicMessages.push({
        topic: this.positionsTopic,
        messages: positions.map((p) => ({
          key: encodePositionKey({ flowId: this.flowId, topic: p.topic, partition: p.partition }),
          value: encodePositionValue(p),
        })),
      });
    }
    if (topicMessages.length > 0) await txn.sendBatch({ topicMessages, acks: -1 });
    await txn.commit();
    this.transaction = await this.producer!.transaction();
  }

  /** Aborts what was sent since the last commit and begins the next transaction. */
  async abort(): Promise<void> {
    const txn = this.transaction;
    this.transaction = undefined;
    if (txn?.isActive()) await txn.abort();
    this.transaction = await this.producer!.transaction();
  }

  async close(): Promise<void> {
    const txn = this.transaction;
    this.transaction = undefined;
    if (txn?.isActive()) await txn.abort().catch(() => {});
    await this.producer?.disconnect().catch(() => {});
    this.producer = undefined;
  }
}
