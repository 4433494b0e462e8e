import type { DivergentRange } from "@mirrordeck/contracts";
import { formatOffset } from "@/lib/format.ts";

/** Offset ranges written on a side that was lost and never copied across. */
export function DivergentRanges({ ranges, label }: { ranges: readonly DivergentRange[]; label: string }) {
  return (
    <table className="data fo-table" aria-label={label} data-testid="divergent-ranges">
      <thead>
        <tr>
          <th scope="col">Topic</th>
          <th scope="col">Partition</th>
          <th scope="col">Offsets</th>
          <th scope="col">Records</th>
        </tr>
      </thead>
      <tbody>
        {ranges.map((r) => (
          <tr key={`${r.topic}-${r.partition}-${r.fromOffset}`}>
            <td>
              <code>{r.topic}</code>
            </td>
            <td className="num">{r.partition}</td>
            <td className="num">
              {formatOffset(r.fromOffset)} to {formatOffset(r.toOffset - 1)}
            </td>
            <td className="num">{formatOffset(r.records)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
