import { nodeRequire } from "./node-require.ts";

// Two moments kafkajs's consumer does not announce, hooked on its ConsumerGroup by group id.

interface ConsumerGroupLike {
  groupId: string;
  joinAndSync(): Promise<unknown>;
  recoverFromFetch(error: unknown): Promise<unknown>;
}

const joinHooks = new Map<string, () => Promise<void>>();
const fetchErrorHooks = new Map<string, (error: unknown) => void>();
let installed = false;

/**
 * Runs `hook` each time the consumer of `groupId` is about to (re)join its group, and waits for it.
 * kafkajs only announces a rebalance (REBALANCING) and joins at once; a member that hands
 * partitions over must first finish the batches it sent and write their positions, or the next
 * owner starts from older positions and copies those records again. Returns the unregister.
 */
export function beforeGroupJoin(groupId: string, hook: () => Promise<void>): () => void {
  return register(joinHooks, groupId, hook);
}

/**
 * Calls `hook` with every error a fetch of the consumer of `groupId` failed with (a partition
 * unknown to its broker, out of range, a leader moved), before kafkajs recovers from it by itself:
 * the moments a topic deleted and created again under the same name can slip in unseen.
 */
export function onFetchError(groupId: string, hook: (error: unknown) => void): () => void {
  return register(fetchErrorHooks, groupId, hook);
}

function register<T>(hooks: Map<string, T>, groupId: string, hook: T): () => void {
  install();
  hooks.set(groupId, hook);
  return () => {
    if (hooks.get(groupId) === hook) hooks.delete(groupId);
  };
}

function install(): void {
  if (installed) return;
  installed = true;
  const ConsumerGroup = nodeRequire()("kafkajs/src/consumer/consumerGroup.js") as {
    prototype: ConsumerGroupLike;
  };
  const { joinAndSync, recoverFromFetch } = ConsumerGroup.prototype;
  ConsumerGroup.prototype.joinAndSync = async function (this: ConsumerGroupLike) {
    const hook = joinHooks.get(this.groupId);
    if (hook) await hook().catch(() => {});
    return joinAndSync.call(this);
  };
  ConsumerGroup.prototype.recoverFromFetch = async function (this: ConsumerGroupLike, error: unknown) {
    try {
      fetchErrorHooks.get(this.groupId)?.(error);
    } catch {
      // a hook's failure must not change how kafkajs recovers
    }
    return recoverFromFetch.call(this, error);
  };
}
