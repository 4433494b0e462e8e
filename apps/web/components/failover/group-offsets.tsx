import type { GroupPartitionHandover } from "@mirrordeck/contracts";
import { formatOffset } from "@/lib/format.ts";
import { ScrollBox } from "./scroll-box.tsx";

/**
 * Per group and partition: the offset committed on the source and the one the group gets (or
 * got) on the target's remote topic, with how many records it may see twice at most.
 */
export function GroupOffsets({
  groups,
  label,
  testIdPrefix,
}: {
  groups: readonly { group: string; partitions: readonly GroupPartitionHandover[] }[];
  label: string;
  testIdPrefix: string;
}) {
  if (groups.length === 0) {
    return <p className="muted">No consumer group has committed offsets on the flow's topics.</p>;
  }
  return (
    <ScrollBox label={`${label}, scrollable`}>
      <table className="data fo-table" aria-label={label}>
        <thead>
          <tr>
            <th scope="col">Group</th>
            <th scope="col">Partition on the target</th>
            <th scope="col">Committed on source</th>
            <th scope="col">Offset on target</th>
            <th scope="col">Duplicates at most</th>
          </tr>
        </thead>
        <tbody>
          {groups.flatMap((g) =>
            g.partitions.map((p) => (
              <tr
                key={`${g.group}/${p.topic}/${p.partition}`}
                data-testid={`${testIdPrefix}-${g.group}-${p.partition}`}
              >
                <td>{g.group}</td>
                <td>
                  <code>
                    {p.remoteTopic}-{p.partition}
                  </code>
                </td>
                <td className="num">{p.sourceOffset === null ? "—" : formatOffset(p.sourceOffset)}</td>
                <td className="num">
                  {p.targetOffset === null ? (
                    <span className="muted">{p.note ?? "cannot be translated"}</span>
                  ) : (
                    <strong data-testid="target-offset">{formatOffset(p.targetOffset)}</strong>
                  )}
                </td>
                <td className="num">{p.maxDuplicates === null ? "—" : formatOffset(p.maxDuplicates)}</td>
              </tr>
            )),
          )}
        </tbody>
      </table>
    </ScrollBox>
  );
}
