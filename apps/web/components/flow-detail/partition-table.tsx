"use client";

import type { PartitionMetrics } from "@mirrordeck/contracts";
import { useMemo, useState } from "react";
import { formatCount, formatOffset, formatRate, formatSeconds } from "@/lib/format.ts";

type SortKey = "topic" | "lagRecords" | "lagSeconds" | "recordsPerSec" | "latencyP99Ms" | "state";

const COLUMNS: { key: SortKey | null; label: string }[] = [
  { key: "topic", label: "Partition" },
  { key: null, label: "Source end offset" },
  { key: null, label: "Last copied" },
  { key: "lagRecords", label: "Lag (records)" },
  { key: "lagSeconds", label: "Lag (time)" },
  { key: "recordsPerSec", label: "Throughput" },
  { key: "latencyP99Ms", label: "p99 latency" },
  { key: "state", label: "State" },
];

const ROW_HEIGHT = 34;

/** Nothing left to copy: no lag, or an empty partition nothing was fetched from yet. */
function caughtUp(p: PartitionMetrics): boolean {
  if (p.state === "error") return false;
  return p.lagRecords === 0 || (p.lagRecords === null && (p.logEndOffset ?? 0) === 0);
}
const VIEWPORT_ROWS = 14;

function compare(a: PartitionMetrics, b: PartitionMetrics, key: SortKey): number {
  if (key === "topic") return a.topic.localeCompare(b.topic) || a.partition - b.partition;
  if (key === "state") return a.state.localeCompare(b.state);
  return (a[key] ?? -1) - (b[key] ?? -1);
}

/**
 * Every source partition the flow copies: offsets, lag in records and time, throughput, latency
 * and state. Sorts by any column, filters by topic, and renders only the rows in view, so it
 * stays fast at thousands of partitions.
 */
export function PartitionTable({ partitions }: { partitions: readonly PartitionMetrics[] }) {
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: "lagRecords", desc: true });
  const [filter, setFilter] = useState("");
  const [scrollTop, setScrollTop] = useState(0);
  const rows = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    const kept =
      needle === ""
        ? [...partitions]
        : partitions.filter((p) => `${p.topic}-${p.partition}`.toLowerCase().includes(needle));
    kept.sort((a, b) => (sort.desc ? -1 : 1) * compare(a, b, sort.key));
    return kept;
  }, [partitions, filter, sort]);
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - 4);
  const visible = rows.slice(first, first + VIEWPORT_ROWS + 8);
  const caughtUpCount = partitions.filter(caughtUp).length;

  return (
    <section aria-labelledby="partitions-heading">
      <div className="section-head">
        <h2 id="partitions-heading">Partitions</h2>
        <span className="muted" data-testid="partitions-caught-up">
          {caughtUpCount} of {partitions.length} caught up
        </span>
        <label className="inline-field">
          Filter
          <input
            type="search"
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
            placeholder="topic or topic-3"
          />
        </label>
      </div>
      {partitions.length === 0 ? (
        <p className="muted">No partition reported yet: they appear once a worker copies the flow.</p>
      ) : (
        <section
          className="virtual-table"
          style={{ maxHeight: ROW_HEIGHT * (VIEWPORT_ROWS + 1) }}
          onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
          // biome-ignore lint/a11y/noNoninteractiveTabindex: the scroll area must be reachable by keyboard
          tabIndex={0}
          aria-label="Partition table, scrollable"
        >
          <table className="data" aria-label="Partitions" aria-rowcount={rows.length + 1}>
            <thead>
              <tr>
                {COLUMNS.map((c) => (
                  <th
                    key={c.label}
                    scope="col"
                    aria-sort={c.key === sort.key ? (sort.desc ? "descending" : "ascending") : undefined}
                  >
                    {c.key === null ? (
                      c.label
                    ) : (
                      <button
                        type="button"
                        className="sort-button"
                        onClick={() =>
                          setSort((s) => ({ key: c.key as SortKey, desc: s.key === c.key ? !s.desc : true }))
                        }
                      >
                        {c.label}
                      </button>
                    )}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {first > 0 ? <tr className="spacer" style={{ height: first * ROW_HEIGHT }} /> : null}
              {visible.map((p, i) => (
                <tr
                  key={`${p.topic}-${p.partition}`}
                  aria-rowindex={first + i + 2}
                  data-testid={`partition-${p.topic}-${p.partition}`}
                  style={{ height: ROW_HEIGHT }}
                >
                  <td>
                    <code>
                      {p.topic}-{p.partition}
                    </code>
                  </td>
                  <td className="num">{p.logEndOffset === null ? "—" : formatOffset(p.logEndOffset)}</td>
                  <td className="num">
                    {p.nextOffset === null ? "—" : formatOffset(Math.max(0, p.nextOffset - 1))}
                  </td>
                  <td className="num">{p.lagRecords === null ? "—" : formatCount(p.lagRecords)}</td>
                  <td className="num">
                    {caughtUp(p)
                      ? "caught up"
                      : p.lagSeconds === null
                        ? "—"
                        : `${formatSeconds(p.lagSeconds)} behind`}
                  </td>
                  <td className="num">{formatRate(p.recordsPerSec)}</td>
                  <td className="num">
                    {p.latencyP99Ms === null ? "—" : `${formatCount(p.latencyP99Ms)} ms`}
                  </td>
                  <td>
                    <span
                      className={`badge ${p.state === "error" ? "bad" : p.state === "running" || p.state === "idle" ? "ok" : "neutral"}`}
                      title={p.error ?? undefined}
                    >
                      {p.state.replace("_", " ")}
                    </span>
                  </td>
                </tr>
              ))}
              {first + visible.length < rows.length ? (
                <tr
                  className="spacer"
                  style={{ height: (rows.length - first - visible.length) * ROW_HEIGHT }}
                />
              ) : null}
            </tbody>
          </table>
        </section>
      )}
    </section>
  );
}
