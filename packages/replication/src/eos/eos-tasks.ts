/*
 * Exactly-once mode (ADR 0015): a source partition belongs to one task for good, so the task's
 * transactional id — and with it the fencing of an earlier holder — follows the partition to
 * whichever worker holds the task.
 */

/** FNV-1a (32 bit) of a topic name: stable across processes and versions, unlike a random seed. */
function topicHash(topic: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < topic.length; i++) {
    hash ^= topic.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** The task a source partition belongs to, in 0 … tasksMax − 1. */
export function eosTaskOf(topic: string, partition: number, tasksMax: number): number {
  const tasks = Math.max(1, tasksMax);
  return (topicHash(topic) + partition) % tasks;
}

/** The transactional id of a flow's task: the same on every worker that holds it. */
export function eosTransactionalId(flowId: string, task: number): string {
  return `__mirrordeck.${flowId}.task-${task}`;
}

/**
 * Which member holds which tasks: tasks go round-robin over the members (sorted, at most tasksMax
 * of them), so each member holds whole tasks and every partition of a task lands on one member.
 */
export function assignEosTasks(memberIds: readonly string[], tasksMax: number): Map<string, number[]> {
  const holders = [...memberIds].sort().slice(0, Math.max(1, tasksMax));
  const byMember = new Map<string, number[]>(holders.map((id) => [id, []]));
  if (holders.length === 0) return byMember;
  for (let task = 0; task < Math.max(1, tasksMax); task++) {
    byMember.get(holders[task % holders.length]!)!.push(task);
  }
  return byMember;
}
