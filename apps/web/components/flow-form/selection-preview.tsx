"use client";

import type { FlowPreview } from "@/lib/api-client.ts";
import { formatCount } from "@/lib/format.ts";
import type { DraftPreviewState } from "./use-draft-preview.ts";

type Verdict = FlowPreview["topics"][number]["verdict"];

const VERDICT_ORDER: Record<Verdict, number> = {
  replicated: 0,
  excluded: 1,
  "not-included": 2,
  cycle: 3,
  internal: 4,
};

function verdictText(verdict: Verdict, targetAlias: string): string {
  switch (verdict) {
    case "replicated":
      return "replicated";
    case "not-included":
      return "not included: no include pattern matches";
    case "excluded":
      return "excluded: an exclude pattern matches";
    case "internal":
      return "internal: MM2's or Kafka's own topic";
    case "cycle":
      return `cycle: it came from ${targetAlias}, sending it back would loop`;
  }
}

const plural = (n: number, one: string, many = `${one}s`) => `${formatCount(n)} ${n === 1 ? one : many}`;

/** What the patterns select on the source right now: topics with their remote names, and groups. */
export function SelectionPreview({
  state,
  sourceAlias,
  targetAlias,
  patternErrorShown,
}: {
  state: DraftPreviewState;
  sourceAlias: string;
  targetAlias: string;
  /** An invalid pattern is shown beside its field; the panel only points there. */
  patternErrorShown: boolean;
}) {
  const { preview, error, updating, ready } = state;
  const topics = preview
    ? [...preview.topics].sort(
        (a, b) => VERDICT_ORDER[a.verdict] - VERDICT_ORDER[b.verdict] || a.name.localeCompare(b.name),
      )
    : [];
  const groups = preview ? [...preview.groups].sort((a, b) => Number(b.selected) - Number(a.selected)) : [];
  return (
    <section className="ff-preview" aria-labelledby="ff-preview-heading" aria-busy={updating}>
      <div className="ff-preview-head">
        <h3 id="ff-preview-heading">Preview{ready ? ` on ${sourceAlias}` : ""}</h3>
        <span className="muted" role="status">
          {updating ? "Updating…" : ""}
        </span>
      </div>
      {!ready ? (
        <p className="muted ff-preview-empty">
          Choose a source and a target to see which topics and consumer groups these patterns select.
        </p>
      ) : (
        <>
          {error !== null ? (
            <p className="error-text" data-testid="preview-error">
              {patternErrorShown
                ? "The preview waits for valid patterns: see the message beside the field."
                : `Could not preview: ${error.message}`}
            </p>
          ) : null}
          {preview === null ? (
            error === null ? (
              <p className="muted ff-preview-empty">Reading topics and groups from {sourceAlias}…</p>
            ) : null
          ) : (
            <div className={updating || error !== null ? "ff-preview-body stale" : "ff-preview-body"}>
              <p className="ff-preview-summary" data-testid="preview-summary">
                <strong>{plural(preview.summary.topicsSelected, "topic")}</strong> with{" "}
                {plural(preview.summary.partitionsSelected, "partition")} and{" "}
                <strong>{plural(preview.summary.groupsSelected, "consumer group")}</strong> selected, of{" "}
                {plural(preview.topics.length, "topic")} and {plural(preview.groups.length, "group")} on{" "}
                {sourceAlias}.
              </p>
              <section
                className="ff-scroll"
                aria-label={`Topics on ${sourceAlias}, scrollable`}
                // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region is reachable by keyboard
                tabIndex={0}
              >
                {topics.length === 0 ? (
                  <p className="muted">{sourceAlias} has no topics yet.</p>
                ) : (
                  <table className="data ff-preview-table" aria-label={`Topics on ${sourceAlias}`}>
                    <thead>
                      <tr>
                        <th scope="col">Topic</th>
                        <th scope="col" className="num">
                          Partitions
                        </th>
                        <th scope="col">On {targetAlias}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {topics.map((t) => (
                        <tr key={t.name} data-testid={`preview-topic-${t.name}`}>
                          <td className="ff-break">{t.name}</td>
                          <td className="num">{t.partitions}</td>
                          <td>
                            {t.verdict === "replicated" ? (
                              <>
                                <span
                                  className="badge ok"
                                  data-testid="preview-verdict"
                                  data-verdict={t.verdict}
                                >
                                  replicated
                                </span>{" "}
                                as{" "}
                                <code className="ff-break" data-testid="preview-remote">
                                  {t.remoteName}
                                </code>
                              </>
                            ) : (
                              <span className="muted" data-testid="preview-verdict" data-verdict={t.verdict}>
                                {verdictText(t.verdict, targetAlias)}
                              </span>
                            )}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                )}
              </section>
              <h4 className="ff-preview-subhead">Consumer groups</h4>
              {groups.length === 0 ? (
                <p className="muted">No consumer groups on {sourceAlias}.</p>
              ) : (
                <ul
                  className="ff-groups"
                  aria-label={`Consumer groups on ${sourceAlias}`}
                  // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling list is reachable by keyboard
                  tabIndex={0}
                >
                  {groups.map((g) => (
                    <li key={g.groupId} data-testid={`preview-group-${g.groupId}`}>
                      <span className="ff-break">{g.groupId}</span>{" "}
                      <span className={g.selected ? "badge ok" : "badge neutral"}>
                        {g.selected ? "offsets translated" : "left out"}
                      </span>{" "}
                      <span className="muted">{g.state.toLowerCase()}</span>
                    </li>
                  ))}
                </ul>
              )}
            </div>
          )}
        </>
      )}
    </section>
  );
}
