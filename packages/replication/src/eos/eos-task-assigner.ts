import type { PartitionAssigner } from "kafkajs";
import { encodeAssignments, memberProtocol } from "../copy/task-assigner.ts";
import { assignEosTasks, eosTaskOf } from "./eos-tasks.ts";

/**
 * The exactly-once mode's assignment (ADR 0015): whole tasks go to members, each partition with
 * its task, so a task's transactional id is only ever used by the member holding the task.
 */
export function eosTaskAssigner(tasksMax: number): PartitionAssigner {
  return ({ cluster }) => ({
    name: "MirrorDeckExactlyOnceTasks",
    version: 1,
    async assign({ members, topics }) {
      const tasksByMember = assignEosTasks(
        members.map((m) => m.memberId),
        tasksMax,
      );
      const holderOfTask = new Map<number, string>();
      for (const [member, tasks] of tasksByMember) for (const task of tasks) holderOfTask.set(task, member);
      const assignment = new Map<string, Record<string, number[]>>();
      for (const topic of [...topics].sort()) {
        for (const { partitionId } of cluster.findTopicPartitionMetadata(topic)) {
          const holder = holderOfTask.get(eosTaskOf(topic, partitionId, tasksMax));
          if (holder === undefined) continue;
          const own = assignment.get(holder) ?? {};
          own[topic] = [...(own[topic] ?? []), partitionId];
          assignment.set(holder, own);
        }
      }
      return encodeAssignments(members, assignment);
    },
    protocol: ({ topics }) => memberProtocol("MirrorDeckExactlyOnceTasks", topics),
  });
}
