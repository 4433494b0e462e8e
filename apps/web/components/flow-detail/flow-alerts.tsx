"use client";

import { ALERT_KIND_UNITS, type AlertKind } from "@mirrordeck/contracts";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Field } from "@/components/admin/shared.tsx";
import { type AlertRuleItem, api } from "@/lib/api-client.ts";
import { errorText, type FormErrors, fieldErrors } from "@/lib/form-errors.ts";
import { formatCount } from "@/lib/format.ts";
import { useMe } from "@/lib/use-me.ts";

const KIND_LABEL: Record<AlertKind, string> = {
  LAG_RECORDS: "Lag in records",
  LAG_SECONDS: "Lag in seconds",
  HEARTBEAT_AGE: "Heartbeat older than",
  CHECKPOINT_STALE: "Checkpoints stale for",
  FLOW_ERROR: "Flow in error",
  TOPIC_DRIFT: "Target topics drifting",
};
const KINDS = Object.keys(KIND_LABEL) as AlertKind[];
const STATE_BADGE = { OK: "ok", PENDING: "neutral", FIRING: "bad" } as const;

/** The flow's alert rules: state as the workers last evaluated it; operators add, edit, delete. */
export function FlowAlerts({ flowId }: { flowId: string }) {
  const { can } = useMe();
  const client = useQueryClient();
  const rules = useQuery({
    queryKey: ["alert-rules", flowId],
    queryFn: () => api.alertRules(flowId),
    refetchInterval: 5_000,
  });
  const refresh = () => void client.invalidateQueries({ queryKey: ["alert-rules", flowId] });
  const [editing, setEditing] = useState<string | null>(null);
  const edited = rules.data?.items.find((r) => r.id === editing);
  const firing = rules.data?.items.filter((r) => r.enabled && r.state === "FIRING").length ?? 0;

  return (
    <section aria-labelledby="alerts-heading">
      <div className="section-head">
        <h2 id="alerts-heading">
          Alerts{" "}
          {firing > 0 ? (
            <span className="badge bad" data-testid="flow-alerts-firing">
              {firing} firing
            </span>
          ) : null}
        </h2>
      </div>
      <p className="muted">
        Evaluated by the workers every 5 s. A rule fires when its condition holds for its duration, and
        resolves when it no longer does; both are flow events and go to every webhook.
      </p>
      {rules.isPending ? <p className="muted">Loading alert rules…</p> : null}
      {rules.isError ? <p className="error-text">Could not load alert rules: {rules.error.message}</p> : null}
      {rules.data && rules.data.items.length === 0 ? (
        <p className="muted">No alert rules on this flow.</p>
      ) : null}
      {rules.data && rules.data.items.length > 0 ? (
        <div className="table-scroll">
          <table className="data" aria-label="Alert rules" data-testid="alert-rules">
            <thead>
              <tr>
                <th scope="col">Rule</th>
                <th scope="col">For</th>
                <th scope="col">State</th>
                <th scope="col">Last value</th>
                {can("OPERATOR") ? (
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {rules.data.items.map((rule) => (
                <RuleRow
                  key={rule.id}
                  flowId={flowId}
                  rule={rule}
                  canEdit={can("OPERATOR")}
                  onEdit={() => setEditing(rule.id)}
                  onDeleted={refresh}
                />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {can("OPERATOR") && edited ? (
        <RuleForm
          key={edited.id}
          flowId={flowId}
          rule={edited}
          onDone={() => {
            setEditing(null);
            refresh();
          }}
        />
      ) : null}
      {can("OPERATOR") && !edited ? <RuleForm key="add" flowId={flowId} onDone={refresh} /> : null}
    </section>
  );
}

function describeRule(rule: Pick<AlertRuleItem, "kind" | "threshold">): string {
  if (rule.kind === "FLOW_ERROR") return KIND_LABEL.FLOW_ERROR;
  if (rule.kind === "TOPIC_DRIFT")
    return `More than ${formatCount(rule.threshold ?? 0)} target topics drifting`;
  const above = rule.kind.startsWith("LAG") ? " above" : "";
  return `${KIND_LABEL[rule.kind]}${above} ${formatCount(rule.threshold ?? 0)} ${ALERT_KIND_UNITS[rule.kind]}`;
}

function RuleRow(props: {
  flowId: string;
  rule: AlertRuleItem;
  canEdit: boolean;
  onEdit: () => void;
  onDeleted: () => void;
}) {
  const { rule } = props;
  const remove = useMutation({
    mutationFn: () => api.deleteAlertRule(props.flowId, rule.id),
    onSuccess: props.onDeleted,
  });
  const label = describeRule(rule);
  return (
    <tr data-testid="alert-rule">
      <td>{label}</td>
      <td>{rule.forSeconds} s</td>
      <td>
        <span
          className={`badge ${rule.enabled ? STATE_BADGE[rule.state] : "neutral"}`}
          data-testid="alert-state"
        >
          {rule.enabled ? rule.state.toLowerCase() : "disabled"}
        </span>
      </td>
      <td>{rule.lastValue === null ? "—" : formatCount(Math.round(rule.lastValue))}</td>
      {props.canEdit ? (
        <td>
          <div className="actions">
            <button type="button" onClick={props.onEdit} aria-label={`Edit rule: ${label}`}>
              Edit
            </button>
            <button
              type="button"
              onClick={() => remove.mutate()}
              disabled={remove.isPending}
              aria-label={`Delete rule: ${label}`}
            >
              Delete
            </button>
          </div>
          {remove.isError ? (
            <div className="error-text" role="alert">
              Could not delete: {errorText(remove.error)}
            </div>
          ) : null}
        </td>
      ) : null}
    </tr>
  );
}

const FIELDS = ["kind", "threshold", "forSeconds"] as const;

/** Adds a rule, or (given `rule`) replaces that rule's settings (the store decides what happens to its state). */
function RuleForm(props: { flowId: string; rule?: AlertRuleItem; onDone: () => void }) {
  const { flowId, rule } = props;
  const [kind, setKind] = useState<AlertKind>(rule?.kind ?? "LAG_RECORDS");
  const [threshold, setThreshold] = useState(String(rule?.threshold ?? 10_000));
  const [forSeconds, setForSeconds] = useState(String(rule?.forSeconds ?? 60));
  const [enabled, setEnabled] = useState(rule?.enabled ?? true);
  const [errors, setErrors] = useState<FormErrors<(typeof FIELDS)[number]>>({});
  const save = useMutation({
    mutationFn: () => {
      const input = {
        kind,
        threshold: kind === "FLOW_ERROR" ? null : threshold.trim() === "" ? Number.NaN : Number(threshold),
        forSeconds: Number(forSeconds),
        enabled,
      };
      return rule ? api.updateAlertRule(flowId, rule.id, input) : api.createAlertRule(flowId, input);
    },
    onSuccess: () => {
      setErrors({});
      props.onDone();
    },
    onError: (error) => setErrors(fieldErrors(error, FIELDS)),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  const heading = rule ? "Edit rule" : "Add a rule";
  return (
    <form className="card admin-form" onSubmit={submit} noValidate aria-label={heading}>
      <h3>{heading}</h3>
      <div className="form-row">
        <Field label="Alert when" error={errors.kind}>
          {(control) => (
            <select {...control} value={kind} onChange={(e) => setKind(e.target.value as AlertKind)}>
              {KINDS.map((k) => (
                <option key={k} value={k}>
                  {KIND_LABEL[k]}
                </option>
              ))}
            </select>
          )}
        </Field>
        {kind !== "FLOW_ERROR" ? (
          <Field label={`Threshold (${ALERT_KIND_UNITS[kind]})`} error={errors.threshold}>
            {(control) => (
              <input
                {...control}
                inputMode="numeric"
                value={threshold}
                onChange={(e) => setThreshold(e.target.value)}
              />
            )}
          </Field>
        ) : null}
        <Field label="For (seconds)" error={errors.forSeconds}>
          {(control) => (
            <input
              {...control}
              inputMode="numeric"
              value={forSeconds}
              onChange={(e) => setForSeconds(e.target.value)}
            />
          )}
        </Field>
      </div>
      <label className="check">
        <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} /> Enabled
      </label>
      <div className="actions">
        <button type="submit" disabled={save.isPending}>
          {save.isPending ? "Saving…" : rule ? "Save rule" : "Add rule"}
        </button>
        {rule ? (
          <button type="button" onClick={props.onDone}>
            Cancel
          </button>
        ) : null}
      </div>
      {errors.form ? (
        <p className="error-text" role="alert">
          {errors.form}
        </p>
      ) : null}
    </form>
  );
}
