"use client";

import type { FlowListItem, ImportResponse } from "@/lib/api-client.ts";

type Plan = ImportResponse["plan"];
type PlannedCluster = Plan["clusters"][number] & { passwordPlaceholder?: string };

const ACTION_CLASS: Record<string, string> = { create: "ok", unchanged: "neutral", conflict: "bad" };

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function text(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

/** One line a person can read at a glance: what the file would do. */
export function planSummary(plan: Plan): string {
  const count = (items: { action: string }[], action: string) =>
    items.filter((i) => i.action === action).length;
  const parts = [
    `${plural(count(plan.clusters, "create"), "cluster")} and ${plural(count(plan.flows, "create"), "flow")} to create`,
  ];
  const unchanged = count(plan.clusters, "unchanged");
  if (unchanged > 0) parts.push(`${plural(unchanged, "cluster")} already there`);
  const conflicts = count(plan.clusters, "conflict") + count(plan.flows, "conflict");
  if (conflicts > 0) parts.push(plural(conflicts, "conflict"));
  if (plan.issues.length > 0) parts.push(plural(plan.issues.length, "issue"));
  return parts.join(", ");
}

/** The dry run's plan: clusters, flows, issues, placeholders and the keys left out. */
export function ImportPlanView({ plan }: { plan: Plan }) {
  const clusters = plan.clusters as PlannedCluster[];
  return (
    <div className="import-plan" data-testid="import-plan">
      <h3>Clusters</h3>
      {clusters.length === 0 ? (
        <p className="muted">The file names no cluster MirrorDeck can import.</p>
      ) : (
        <table className="data" aria-label="Clusters in the file" data-testid="plan-clusters">
          <thead>
            <tr>
              <th scope="col">Alias</th>
              <th scope="col">Bootstrap servers</th>
              <th scope="col">Security</th>
              <th scope="col">Action</th>
            </tr>
          </thead>
          <tbody>
            {clusters.map((c) => (
              <tr key={c.alias} data-testid={`plan-cluster-${c.alias}`}>
                <td>
                  <strong>{c.alias}</strong>
                </td>
                <td className="break">{text(c.input.bootstrapServers) ?? "—"}</td>
                <td>
                  {text(c.input.securityProtocol) ?? "PLAINTEXT"}
                  {c.passwordPlaceholder ? (
                    <span className="muted block">
                      password from <code>{c.passwordPlaceholder}</code>: set it after the import
                    </span>
                  ) : null}
                </td>
                <td>
                  <span className={`badge ${ACTION_CLASS[c.action] ?? "neutral"}`} data-testid="plan-action">
                    {c.action === "unchanged" ? "already there" : c.action}
                  </span>
                  {c.conflict ? <span className="error-text block">{c.conflict}</span> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h3>Flows</h3>
      {plan.flows.length === 0 ? (
        <p className="muted">
          No enabled flow (a line like <code>a-&gt;b.enabled = true</code>) in the file.
        </p>
      ) : (
        <table className="data" aria-label="Flows in the file" data-testid="plan-flows">
          <thead>
            <tr>
              <th scope="col">Flow</th>
              <th scope="col">Direction</th>
              <th scope="col">Topics</th>
              <th scope="col">Action</th>
            </tr>
          </thead>
          <tbody>
            {plan.flows.map((f) => (
              <tr key={f.name} data-testid={`plan-flow-${f.name}`}>
                <td>
                  <strong>{f.name}</strong>
                </td>
                <td>
                  {f.input.sourceAlias} → {f.input.targetAlias}
                </td>
                <td className="break">
                  {f.input.topicsInclude ? <code>{f.input.topicsInclude}</code> : "MM2's default (all)"}
                  {f.input.topicsExclude ? (
                    <span className="muted block">
                      except <code>{f.input.topicsExclude}</code>
                    </span>
                  ) : null}
                </td>
                <td>
                  <span className={`badge ${ACTION_CLASS[f.action] ?? "neutral"}`} data-testid="plan-action">
                    {f.action}
                  </span>
                  {f.conflict ? <span className="error-text block">{f.conflict}</span> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      {plan.issues.length > 0 ? (
        <>
          <h3>Issues</h3>
          <p className="muted">These parts of the file are not imported until fixed.</p>
          <ul className="plan-list bad" data-testid="plan-issues">
            {plan.issues.map((issue, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: issues have no identity; the list never reorders
              <li key={i}>
                {issue.key ? <code>{issue.key}</code> : null}
                {issue.key ? ": " : null}
                {issue.message}
              </li>
            ))}
          </ul>
        </>
      ) : null}

      {plan.placeholdersNeeded.length > 0 ? (
        <>
          <h3>Secrets to provide</h3>
          <p className="muted">
            The file reads these from a config provider. MirrorDeck cannot resolve them: after the import, set
            the passwords on the clusters page.
          </p>
          <ul className="plan-list" data-testid="plan-placeholders">
            {plan.placeholdersNeeded.map((p) => (
              <li key={p}>
                <code>{p}</code>
              </li>
            ))}
          </ul>
        </>
      ) : null}

      {plan.ignoredKeys.length > 0 ? (
        <details className="ignored-keys" open={plan.ignoredKeys.length <= 8}>
          <summary>{plural(plan.ignoredKeys.length, "key")} not imported, with why</summary>
          <table className="data" aria-label="Keys not imported" data-testid="plan-ignored">
            <thead>
              <tr>
                <th scope="col">Key</th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody>
              {plan.ignoredKeys.map((k) => (
                <tr key={k.key}>
                  <td className="break">
                    <code>{k.key}</code>
                  </td>
                  <td>{k.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      ) : (
        <p className="muted">Every key of the file is used.</p>
      )}
    </div>
  );
}

/** What an apply created, with links to the new flows and the secrets still to set. */
export function ImportResult({
  result,
  flows,
}: {
  result: ImportResponse;
  flows: FlowListItem[] | undefined;
}) {
  const created = result.created ?? { clusters: [], flows: [] };
  const needsSecrets = result.needsSecrets ?? [];
  const flowLink = (name: string) => flows?.find((f) => f.name === name);
  return (
    <div className="import-result" data-testid="import-result">
      <h3>Imported</h3>
      <p>
        {plural(created.clusters.length, "cluster")} and {plural(created.flows.length, "flow")} created.
      </p>
      {created.clusters.length > 0 ? (
        <p>
          Clusters:{" "}
          {created.clusters.map((alias, i) => (
            <span key={alias}>
              {i > 0 ? ", " : null}
              <a href="/clusters" data-testid={`created-cluster-${alias}`}>
                {alias}
              </a>
            </span>
          ))}
        </p>
      ) : null}
      {created.flows.length > 0 ? (
        <p>
          Flows:{" "}
          {created.flows.map((name, i) => {
            const flow = flowLink(name);
            return (
              <span key={name}>
                {i > 0 ? ", " : null}
                <a href={flow ? `/flows/${flow.id}` : "/flows"} data-testid={`created-flow-${name}`}>
                  {name}
                </a>
              </span>
            );
          })}
          . New flows start enabled; workers pick them up within seconds.
        </p>
      ) : null}
      {needsSecrets.length > 0 ? (
        <>
          <p className="error-text">These clusters cannot connect until you give them their password:</p>
          <ul className="plan-list" data-testid="needs-secrets">
            {needsSecrets.map((alias) => (
              <li key={alias}>
                <a href={`/clusters?edit=${encodeURIComponent(alias)}`}>
                  Set the SASL password of cluster {alias}
                </a>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}
