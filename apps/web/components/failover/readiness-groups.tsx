import type { GroupReadiness } from "@mirrordeck/contracts";
import { formatDuration, groupStateText } from "@/lib/failover-words.ts";
import { formatOffset } from "@/lib/format.ts";
import { ScrollBox } from "./scroll-box.tsx";

/**
 * The flow's consumer groups on both sides, the age of their checkpoint, and per partition the
 * offset each would get on the target if it failed over now.
 */
export function ReadinessGroups({ groups }: { groups: readonly GroupReadiness[] }) {
  if (groups.length === 0) {
    return <p className="muted">No consumer group has committed offsets on the flow's topics.</p>;
  }
  return (
    <ScrollBox label="Consumer groups before failover, scrollable">
      <table className="data fo-table" aria-label="Consumer groups before failover">
        <thead>
          <tr>
            <th scope="col">Group</th>
            <th scope="col">On source</th>
            <th scope="col">On target</th>
            <th scope="col">Checkpoint age</th>
            <th scope="col">Offset on the target, per partition</th>
          </tr>
        </thead>
        <tbody>
          {groups.map((g) => (
            <tr
              key={g.group}
              data-testid={`readiness-group-${g.group}`}
              data-checkpoint={g.checkpointAt === null ? "none" : "yes"}
              data-translated={`${g.partitions.filter((p) => p.targetOffset !== null).length}/${g.partitions.length}`}
            >
              <td>{g.group}</td>
              <td>{groupStateText(g.sourceState, g.sourceMembers)}</td>
              <td className={g.targetState === "active" ? "fo-bad-text" : undefined}>
                {groupStateText(g.targetState, g.targetMembers)}
              </td>
              <td>
                {g.checkpointAgeSeconds === null
                  ? "no checkpoint yet"
                  : formatDuration(g.checkpointAgeSeconds)}
              </td>
              <td>
                <ul className="fo-offsets">
                  {g.partitions.map((p) => (
                    <li key={`${p.topic}-${p.partition}`}>
                      <code>
                        {p.remoteTopic}-{p.partition}
                      </code>
                      :{" "}
                      {p.targetOffset === null ? (
                        <span className="muted">{p.note ?? "cannot be translated yet"}</span>
                      ) : (
                        <>
                          <strong>{formatOffset(p.targetOffset)}</strong>
                          <span className="muted">
                            {" "}
                            (committed {p.sourceOffset === null ? "—" : formatOffset(p.sourceOffset)} on
                            source)
                          </span>
                        </>
                      )}
                    </li>
                  ))}
                </ul>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollBox>
  );
}
