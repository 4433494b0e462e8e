"use client";

import type { ClusterDetail, SaslMechanismName, SecurityProtocol } from "@mirrordeck/contracts";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, type ReactNode, useEffect, useId, useRef, useState } from "react";
import { ApiError, api } from "@/lib/api-client.ts";
import {
  type ClusterFormState,
  createInput,
  emptyForm,
  fieldMessage,
  formFromCluster,
  hasFieldMessage,
  newRowId,
  OVERRIDE_HINTS,
  OVERRIDE_KEYS,
  SASL_MECHANISMS,
  SECURITY_PROTOCOLS,
  sameSettings,
  updateInput,
  usesSasl,
  usesTls,
} from "./cluster-form-model.ts";
import { ConnectionTestOutcome } from "./connection-test-result.tsx";

type Props = {
  onSaved: (alias: string, created: boolean) => void;
  onCancel: () => void;
} & ({ mode: "create" } | { mode: "edit"; cluster: ClusterDetail });

interface ControlProps {
  id: string;
  "aria-describedby"?: string;
  "aria-invalid"?: boolean;
}

/** A labelled control with its hint and, when the API refused it, the reason beside it. */
function Field({
  label,
  hint,
  error,
  wide,
  testId,
  children,
}: {
  label: string;
  hint?: ReactNode;
  error?: string | undefined;
  wide?: boolean;
  testId?: string;
  children: (control: ControlProps) => ReactNode;
}) {
  const id = useId();
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ");
  return (
    <div className={`form-field${wide ? " wide" : ""}`} data-testid={testId}>
      <label htmlFor={id}>{label}</label>
      {children({
        id,
        ...(describedBy !== "" && { "aria-describedby": describedBy }),
        ...(error !== undefined && { "aria-invalid": true }),
      })}
      {hint ? (
        <span id={`${id}-hint`} className="field-hint">
          {hint}
        </span>
      ) : null}
      {error ? (
        <span id={`${id}-error`} className="field-error" data-testid="field-error">
          {error}
        </span>
      ) : null}
    </div>
  );
}

/** Add or edit a cluster: connection, security, client overrides, and a connection test. */
export function ClusterForm(props: Props) {
  const client = useQueryClient();
  const titleId = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const [base, setBase] = useState<ClusterDetail | null>(props.mode === "edit" ? props.cluster : null);
  const [initial, setInitial] = useState<ClusterFormState>(() =>
    props.mode === "edit" ? formFromCluster(props.cluster) : emptyForm(),
  );
  const [state, setState] = useState<ClusterFormState>(initial);
  const [error, setError] = useState<unknown>(null);
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const [testedProtocol, setTestedProtocol] = useState<SecurityProtocol>(state.securityProtocol);
  const dirty = !sameSettings(state, initial);

  const save = useMutation({
    mutationFn: () =>
      base === null
        ? api.createCluster(createInput(state))
        : api.updateCluster(base.alias, updateInput(state, base)),
    onSuccess: (saved) => {
      void client.invalidateQueries({ queryKey: ["clusters"] });
      props.onSaved(saved.alias, base === null);
    },
    onError: setError,
  });

  const test = useMutation({
    mutationFn: () =>
      base !== null && !dirty
        ? api.testCluster(base.alias)
        : api.testDraftCluster(createInput(state, base?.alias ?? (state.alias.trim() || "new-cluster"))),
    onError: setError,
  });

  const reload = useMutation({
    mutationFn: () => api.cluster(base?.alias ?? ""),
    onSuccess: (fresh) => {
      const form = formFromCluster(fresh);
      setBase(fresh);
      setInitial(form);
      setState(form);
      setError(null);
    },
    onError: setError,
  });

  // Focus the first field when the form opens.
  useEffect(() => {
    formRef.current?.querySelector<HTMLElement>("input, select, textarea")?.focus();
  }, []);

  // After a refusal, move to the first field the API named.
  useEffect(() => {
    if (error === null && Object.keys(localErrors).length === 0) return;
    formRef.current?.querySelector<HTMLElement>("[aria-invalid='true']")?.focus();
  }, [error, localErrors]);

  function update(changes: Partial<ClusterFormState>) {
    setState((s) => ({ ...s, ...changes }));
    test.reset();
  }

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    setLocalErrors({});
    save.mutate();
  }

  function onTest() {
    setError(null);
    setLocalErrors({});
    // A changed cluster is tested as a draft, which never reads the stored secrets.
    if (base !== null && dirty) {
      const missing: Record<string, string> = {};
      if (usesSasl(state.securityProtocol) && base.sasl?.passwordSet && state.saslPassword === "") {
        missing["sasl.password"] =
          "To test changed settings, enter the password again: the stored one is only used with the saved settings.";
      }
      if (
        usesTls(state.securityProtocol) &&
        base.tls?.clientKeySet &&
        !state.removeClientKey &&
        state.clientKey.trim() === ""
      ) {
        missing["tls.clientKey"] =
          "To test changed settings, paste the client key again: the stored one is only used with the saved settings.";
      }
      if (Object.keys(missing).length > 0) {
        setLocalErrors(missing);
        return;
      }
    }
    setTestedProtocol(state.securityProtocol);
    test.mutate();
  }

  const msg = (field: string, exact = false) => localErrors[field] ?? fieldMessage(error, field, exact);
  const aliasError =
    msg("alias") ??
    (error instanceof ApiError && error.code === "CONFLICT" && base === null ? error.message : undefined);
  const shownBesideFields = hasFieldMessage(error) || aliasError !== undefined;
  const stale = error instanceof ApiError && error.code === "STALE_VERSION";
  const sasl = usesSasl(state.securityProtocol);
  const tls = usesTls(state.securityProtocol);
  const usedKeys = new Set(state.overrides.map((r) => r.key));
  const freeKeys = OVERRIDE_KEYS.filter((k) => !usedKeys.has(k));
  const busy = save.isPending || test.isPending;

  return (
    <section className="card cluster-editor" aria-labelledby={titleId} data-testid="cluster-form">
      <h2 id={titleId}>{base === null ? "Add a cluster" : `Edit cluster ${base.alias}`}</h2>
      <form ref={formRef} onSubmit={onSubmit} noValidate>
        <div className="form-grid">
          {base === null ? (
            <Field
              label="Alias"
              hint="Letters, digits, '-' and '_'. MirrorMaker 2 uses it as the prefix of replicated topics; it cannot change later."
              error={aliasError}
              testId="field-alias"
            >
              {(a11y) => (
                <input
                  {...a11y}
                  name="alias"
                  value={state.alias}
                  onChange={(e) => update({ alias: e.target.value })}
                  autoComplete="off"
                  spellCheck={false}
                  placeholder="east"
                />
              )}
            </Field>
          ) : (
            <div className="form-field">
              <span className="field-label">Alias</span>
              <strong className="readonly-value">{base.alias}</strong>
              <span className="field-hint">Fixed: flows and replicated topic names use it.</span>
            </div>
          )}
          <Field
            label="Bootstrap servers"
            hint="host:port, several separated by commas"
            error={msg("bootstrapServers")}
            testId="field-bootstrap"
          >
            {(a11y) => (
              <input
                {...a11y}
                name="bootstrapServers"
                value={state.bootstrapServers}
                onChange={(e) => update({ bootstrapServers: e.target.value })}
                autoComplete="off"
                spellCheck={false}
                placeholder="broker-1:9092,broker-2:9092"
              />
            )}
          </Field>
          <Field
            label="Security protocol"
            hint={SECURITY_PROTOCOLS.find((p) => p.value === state.securityProtocol)?.hint}
            error={msg("securityProtocol")}
          >
            {(a11y) => (
              <select
                {...a11y}
                name="securityProtocol"
                value={state.securityProtocol}
                onChange={(e) => update({ securityProtocol: e.target.value as SecurityProtocol })}
              >
                {SECURITY_PROTOCOLS.map((p) => (
                  <option key={p.value} value={p.value}>
                    {p.value}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>

        {sasl ? (
          <fieldset className="form-group" data-testid="sasl-fields">
            <legend>SASL authentication</legend>
            {msg("sasl", true) ? <p className="field-error">{msg("sasl", true)}</p> : null}
            <div className="form-grid">
              <Field label="Mechanism" error={msg("sasl.mechanism")}>
                {(a11y) => (
                  <select
                    {...a11y}
                    name="saslMechanism"
                    value={state.saslMechanism}
                    onChange={(e) => update({ saslMechanism: e.target.value as SaslMechanismName })}
                  >
                    {SASL_MECHANISMS.map((m) => (
                      <option key={m} value={m}>
                        {m}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field label="Username" error={msg("sasl.username")}>
                {(a11y) => (
                  <input
                    {...a11y}
                    name="saslUsername"
                    value={state.saslUsername}
                    onChange={(e) => update({ saslUsername: e.target.value })}
                    autoComplete="off"
                    spellCheck={false}
                  />
                )}
              </Field>
              <Field
                label="Password"
                hint={
                  base?.sasl?.passwordSet
                    ? "A password is stored: leave empty to keep the stored one."
                    : "Stored encrypted; never shown again."
                }
                error={msg("sasl.password")}
              >
                {(a11y) => (
                  <input
                    {...a11y}
                    name="saslPassword"
                    type="password"
                    value={state.saslPassword}
                    onChange={(e) => update({ saslPassword: e.target.value })}
                    autoComplete="new-password"
                  />
                )}
              </Field>
            </div>
          </fieldset>
        ) : null}

        {tls ? (
          <fieldset className="form-group" data-testid="tls-fields">
            <legend>TLS</legend>
            {msg("tls", true) ? <p className="field-error">{msg("tls", true)}</p> : null}
            <div className="form-grid tls-grid">
              <Field
                label="CA certificate (PEM)"
                hint="Only when the brokers' certificates are not signed by a public CA."
                error={msg("tls.caCertificate")}
                wide
              >
                {(a11y) => (
                  <textarea
                    {...a11y}
                    name="caCertificate"
                    rows={4}
                    spellCheck={false}
                    value={state.caCertificate}
                    onChange={(e) => update({ caCertificate: e.target.value })}
                    placeholder="-----BEGIN CERTIFICATE-----"
                  />
                )}
              </Field>
              <Field
                label="Client certificate (PEM)"
                hint="For brokers that require mutual TLS."
                error={msg("tls.clientCertificate")}
              >
                {(a11y) => (
                  <textarea
                    {...a11y}
                    name="clientCertificate"
                    rows={4}
                    spellCheck={false}
                    value={state.clientCertificate}
                    onChange={(e) => update({ clientCertificate: e.target.value })}
                    placeholder="-----BEGIN CERTIFICATE-----"
                  />
                )}
              </Field>
              <Field
                label="Client key (PEM)"
                hint={
                  base?.tls?.clientKeySet
                    ? "A key is stored: leave empty to keep the stored one."
                    : "Stored encrypted; never shown again."
                }
                error={msg("tls.clientKey")}
              >
                {(a11y) => (
                  <textarea
                    {...a11y}
                    name="clientKey"
                    rows={4}
                    spellCheck={false}
                    autoComplete="off"
                    value={state.clientKey}
                    onChange={(e) => update({ clientKey: e.target.value, removeClientKey: false })}
                    placeholder="-----BEGIN PRIVATE KEY-----"
                  />
                )}
              </Field>
              {base?.tls?.clientKeySet ? (
                <label className="checkbox-field wide">
                  <input
                    type="checkbox"
                    checked={state.removeClientKey}
                    disabled={state.clientKey.trim() !== ""}
                    onChange={(e) => update({ removeClientKey: e.target.checked })}
                  />
                  Remove the stored client key
                </label>
              ) : null}
            </div>
          </fieldset>
        ) : null}

        <fieldset className="form-group" data-testid="override-fields">
          <legend>Client overrides</legend>
          <p className="field-hint">
            Kafka client properties applied to every client of this cluster. Security settings and secrets
            have their own fields above.
          </p>
          {msg("clientOverrides", true) ? (
            <p className="field-error">{msg("clientOverrides", true)}</p>
          ) : null}
          {state.overrides.length === 0 ? <p className="muted">None: Kafka's defaults apply.</p> : null}
          <ul className="override-rows">
            {state.overrides.map((row, index) => {
              const rowError = msg(`clientOverrides.${row.key}`);
              const keyId = `${titleId}-ok-${row.id}`;
              const valueId = `${titleId}-ov-${row.id}`;
              return (
                <li key={row.id} className="override-row">
                  <label className="visually-hidden" htmlFor={keyId}>
                    Property of override {index + 1}
                  </label>
                  <select
                    id={keyId}
                    value={row.key}
                    onChange={(e) =>
                      update({
                        overrides: state.overrides.map((r) =>
                          r.id === row.id ? { ...r, key: e.target.value } : r,
                        ),
                      })
                    }
                  >
                    {OVERRIDE_KEYS.filter((k) => k === row.key || !usedKeys.has(k)).map((k) => (
                      <option key={k} value={k}>
                        {k}
                      </option>
                    ))}
                  </select>
                  <label className="visually-hidden" htmlFor={valueId}>
                    Value of {row.key}
                  </label>
                  <input
                    id={valueId}
                    value={row.value}
                    placeholder={OVERRIDE_HINTS[row.key]}
                    aria-invalid={rowError !== undefined ? true : undefined}
                    aria-describedby={rowError !== undefined ? `${valueId}-error` : undefined}
                    onChange={(e) =>
                      update({
                        overrides: state.overrides.map((r) =>
                          r.id === row.id ? { ...r, value: e.target.value } : r,
                        ),
                      })
                    }
                    spellCheck={false}
                  />
                  <button
                    type="button"
                    onClick={() => update({ overrides: state.overrides.filter((r) => r.id !== row.id) })}
                    aria-label={`Remove override ${row.key}`}
                  >
                    Remove
                  </button>
                  {rowError ? (
                    <span id={`${valueId}-error`} className="field-error override-error">
                      {rowError}
                    </span>
                  ) : null}
                </li>
              );
            })}
          </ul>
          <button
            type="button"
            disabled={freeKeys.length === 0}
            onClick={() =>
              update({
                overrides: [...state.overrides, { id: newRowId(), key: freeKeys[0] ?? "", value: "" }],
              })
            }
          >
            Add override
          </button>
        </fieldset>

        {error !== null ? (
          <div role="alert" className="form-alert" data-testid="cluster-form-error">
            <p>
              {stale
                ? (error as ApiError).message
                : shownBesideFields
                  ? "Some settings need fixing: see the messages beside the fields."
                  : error instanceof ApiError
                    ? error.message
                    : `MirrorDeck did not answer: ${String(error)}`}
            </p>
            {stale ? (
              <button type="button" onClick={() => reload.mutate()} disabled={reload.isPending}>
                {reload.isPending ? "Reloading…" : "Reload the cluster (discards your changes)"}
              </button>
            ) : null}
          </div>
        ) : null}

        <div className="form-actions">
          <button type="submit" className="primary" disabled={busy}>
            {save.isPending ? "Saving…" : base === null ? "Save cluster" : "Save changes"}
          </button>
          <button type="button" onClick={onTest} disabled={busy}>
            {test.isPending ? "Testing…" : "Test connection"}
          </button>
          <button type="button" onClick={props.onCancel}>
            Cancel
          </button>
          <span className="muted form-actions-note">
            {base !== null && !dirty
              ? "Tests the saved settings."
              : "Tests the settings as entered; nothing is saved."}
          </span>
        </div>

        <div aria-live="polite" className="connection-result-slot">
          {test.isPending ? (
            <p className="muted" data-testid="connection-testing">
              Connecting to the brokers…
            </p>
          ) : test.data ? (
            <ConnectionTestOutcome result={test.data} protocol={testedProtocol} />
          ) : null}
        </div>
      </form>
    </section>
  );
}
