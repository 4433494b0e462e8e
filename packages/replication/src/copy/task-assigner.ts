import { AssignerProtocol, type PartitionAssigner } from "kafkajs";

/**
 * Consumer-group assigner for a flow: spreads the source partitions round-robin over at most
 * `tasksMax` members (MM2's `tasks.max`), chosen by sorted member id so the choice is stable.
 * Members beyond `tasksMax` stay in the group as hot standbys with nothing assigned.
 */
export function taskAssigner(tasksMax: number): PartitionAssigner {
  return ({ cluster }) => ({
    name: "MirrorDeckTasks",
    version: 1,
    async assign({ members, topics }) {
      const holders = [...members]
        .map((m) => m.memberId)
        .sort()
        .slice(0, Math.max(1, tasksMax));
      const assignment = new Map<string, Record<string, number[]>>(holders.map((id) => [id, {}]));
      let next = 0;
      for (const topic of [...topics].sort()) {
        const partitions = cluster
          .findTopicPartitionMetadata(topic)
          .map((p) => p.partitionId)
          .sort((a, b) => a - b);
        for (const partition of partitions) {
          const holder = holders[next % holders.length]!;
          next += 1;
          const own = assignment.get(holder)!;
          const list = own[topic] ?? [];
          list.push(partition);
          own[topic] = list;
        }
      }
      return encodeAssignments(members, assignment);
    },
    protocol: ({ topics }) => memberProtocol("MirrorDeckTasks", topics),
  });
}

/** The group leader's answer: each member's partitions, encoded (none for members left out). */
export function encodeAssignments(
  members: readonly { memberId: string }[],
  assignment: ReadonlyMap<string, Record<string, number[]>>,
) {
  return members.map(({ memberId }) => ({
    memberId,
    memberAssignment: AssignerProtocol.MemberAssignment.encode({
      version: 1,
      assignment: assignment.get(memberId) ?? {},
      userData: Buffer.alloc(0),
    }),
  }));
}

export function memberProtocol(name: string, topics: string[]) {
  return {
    name,
    metadata: AssignerProtocol.MemberMetadata.encode({ version: 1, topics, userData: Buffer.alloc(0) }),
  };
}
