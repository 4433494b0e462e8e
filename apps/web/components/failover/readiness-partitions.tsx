import type { PartitionReadiness } from "@mirrordeck/contracts";
import { formatDuration } from "@/lib/failover-words.ts";
import { formatOffset } from "@/lib/format.ts";
import { ScrollBox } from "./scroll-box.tsx";

const time = (iso: string | null) => (iso === null ? "unknown" : new Date(iso).toLocaleTimeString("en-GB"));

/** Per source partition: its end (live or last known), how far it is copied, and the lag. */
export function ReadinessPartitions({ partitions }: { partitions: readonly PartitionReadiness[] }) {
  if (partitions.length === 0) return <p className="muted">The flow selects no partition yet.</p>;
  return (
    <ScrollBox label="Partitions before failover, scrollable">
      <table className="data fo-table" aria-label="Partitions before failover">
        <thead>
          <tr>
            <th scope="col">Topic</th>
            <th scope="col">Partition</th>
            <th scope="col">Source end</th>
            <th scope="col">
              Replicated up to <span className="muted">(next offset)</span>
            </th>
            <th scope="col">Lag (records)</th>
            <th scope="col">Lag (s)</th>
          </tr>
        </thead>
        <tbody>
          {partitions.map((p) => (
            <tr
              key={`${p.topic}-${p.partition}`}
              data-testid={`readiness-partition-${p.topic}-${p.partition}`}
            >
              <td>
                <code>{p.topic}</code>
              </td>
              <td className="num">{p.partition}</td>
              <td className="num">
                {p.sourceEnd === null ? "—" : formatOffset(p.sourceEnd)}
                {p.sourceEndLive ? null : <div className="muted">last known, {time(p.sourceEndAt)}</div>}
              </td>
              <td className="num">{p.replicatedUpTo === null ? "—" : formatOffset(p.replicatedUpTo)}</td>
              <td className="num">{p.lagRecords === null ? "—" : formatOffset(p.lagRecords)}</td>
              <td className="num">{p.lagRecords === 0 ? "caught up" : formatDuration(p.lagSeconds)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollBox>
  );
}
