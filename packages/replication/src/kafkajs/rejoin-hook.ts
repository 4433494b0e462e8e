import { nodeRequire } from "./node-require.ts";

interface ConsumerGroupLike {
  groupId: string;
  joinAndSync(): Promise<unknown>;
}

const hooks = new Map<string, () => Promise<void>>();
let installed = false;

/**
 * Runs `hook` each time the consumer of `groupId` is about to (re)join its group, and waits for it.
 * kafkajs only announces a rebalance (REBALANCING) and joins at once; a member that hands
 * partitions over must first finish the batches it sent and write their positions, or the next
 * owner starts from older positions and copies those records again. Returns the unregister.
 */
export function beforeGroupJoin(groupId: string, hook: () => Promise<void>): () => void {
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
  const joinAndSync = ConsumerGroup.prototype.joinAndSync;
  ConsumerGroup.prototype.joinAndSync = async function (this: ConsumerGroupLike) {
    const hook = hooks.get(this.groupId);
    if (hook) await hook().catch(() => {});
    return joinAndSync.call(this);
  };
}
