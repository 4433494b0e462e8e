import type { ExpectedLoss, FailoverPlan } from "@mirrordeck/contracts";
import { lossText } from "@/lib/failover-words.ts";
import { ClientChangesView } from "./client-changes.tsx";
import { DivergentRanges } from "./divergent-ranges.tsx";
import { GroupOffsets } from "./group-offsets.tsx";

const BASIS: Record<ExpectedLoss["basis"], string> = {
  none: "",
  live: " (from the source's live end offsets)",
  "last-known": " (from the last end offsets the workers saw: the source did not answer)",
};

/** The dry-run: the steps, the offsets per group, what it may lose, and what clients change. */
export function FailoverPlanView({ plan }: { plan: FailoverPlan }) {
  const { readiness } = plan;
  return (
    <section className="fo-plan card" aria-labelledby="fo-plan-heading" data-testid="failover-plan">
      <h2 id="fo-plan-heading">
        Plan: {plan.mode} failover {readiness.sourceAlias} → {readiness.targetAlias}
      </h2>
      <p className="muted">
        Dry-run of <time dateTime={plan.at}>{new Date(plan.at).toLocaleTimeString("en-GB")}</time>: nothing
        has changed yet.
      </p>
      {plan.refusal ? (
        <div className="fo-refusal" role="alert" data-testid="plan-refusal">
          <p>
            <strong>✗ This failover would be refused now.</strong> {plan.refusal.message}
          </p>
          <p className="muted">
            <code>{plan.refusal.code}</code>
          </p>
        </div>
      ) : null}

      <h3 className="fo-subhead">Steps</h3>
      <ol className="fo-plan-steps" data-testid="plan-steps">
        {plan.steps.map((s, i) => (
          <li key={s.id} data-testid={`plan-step-${s.id}`}>
            <strong>{s.title}</strong>
            {s.state === "skipped" ? <span className="badge neutral">skipped</span> : null}
            {s.pointOfNoReturn && !plan.steps[i - 1]?.pointOfNoReturn ? (
              <span className="badge warn">
                point of no return: a cancel is honoured only before this step
              </span>
            ) : null}
            <div className="muted">{s.description}</div>
          </li>
        ))}
      </ol>

      <h3 className="fo-subhead">Expected loss</h3>
      <dl className="facts" data-testid="plan-loss">
        <dt>This failover</dt>
        <dd data-testid="plan-expected-loss">
          {lossText(plan.expectedLoss)}
          {plan.mode === "planned" ? " (it drains every record first)" : BASIS[plan.expectedLoss.basis]}
        </dd>
        <dt>If {readiness.sourceAlias} were lost now</dt>
        <dd data-testid="plan-loss-if-source-lost">
          {lossText(plan.lossIfSourceLostNow)}
          {BASIS[plan.lossIfSourceLostNow.basis]}
        </dd>
      </dl>

      <h3 className="fo-subhead">Offsets per group on {readiness.targetAlias}</h3>
      {plan.mode === "planned" ? (
        <p className="muted">
          As translated now; the handover writes final checkpoints after the drain, so these can still move
          forward.
        </p>
      ) : null}
      <GroupOffsets
        groups={readiness.groups}
        label={`Offsets per group on ${readiness.targetAlias}`}
        testIdPrefix="plan-group"
      />

      <h3 className="fo-subhead">Client changes</h3>
      <ClientChangesView changes={plan.clientChanges} />

      {plan.divergent.length > 0 ? (
        <>
          <h3 className="fo-subhead">Divergent records</h3>
          <p className="muted">
            Records an earlier unplanned failover in the other direction left behind: they never crossed.
          </p>
          <DivergentRanges ranges={plan.divergent} label="Divergent records" />
        </>
      ) : null}
    </section>
  );
}
