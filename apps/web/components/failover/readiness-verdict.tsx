import type { FailoverReadiness } from "@mirrordeck/contracts";

/**
 * GO / NO-GO for a planned failover, whether an unplanned one is possible, and every reason: a
 * blocking reason stops a planned failover, a warning only asks to be read. Words and symbols
 * carry the verdict, colour only repeats it.
 */
export function ReadinessVerdict({ readiness }: { readiness: FailoverReadiness }) {
  const blocks = readiness.reasons.filter((r) => r.level === "block");
  const warnings = readiness.reasons.filter((r) => r.level === "warn");
  return (
    <div className="fo-verdict">
      <p className="fo-verdict-badges">
        <span
          className={`badge fo-go ${readiness.go ? "ok" : "bad"}`}
          data-testid="readiness-go"
          data-go={readiness.go}
        >
          {readiness.go ? "✓ GO" : "✗ NO-GO"}
        </span>
        <span className="muted">for a planned failover</span>
        <span
          className={`badge ${readiness.unplannedGo ? "ok" : "bad"}`}
          data-testid="readiness-unplanned-go"
          data-go={readiness.unplannedGo}
        >
          {readiness.unplannedGo ? "✓ unplanned failover possible" : "✗ unplanned failover not possible"}
        </span>
      </p>
      {readiness.reasons.length === 0 ? (
        <p className="muted">Nothing stands in the way: no lag, fresh checkpoints and heartbeats.</p>
      ) : (
        <ul className="fo-reasons" data-testid="readiness-reasons" aria-label="Reasons">
          {[...blocks, ...warnings].map((r) => (
            <li
              key={`${r.code}:${r.message}`}
              className={`fo-reason fo-reason-${r.level}`}
              data-level={r.level}
            >
              <span className="fo-reason-level">{r.level === "block" ? "✗ Blocks" : "⚠ Warning"}</span>{" "}
              {r.message} <code className="fo-reason-code">{r.code}</code>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
