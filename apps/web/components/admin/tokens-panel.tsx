"use client";

import type { RoleName } from "@mirrordeck/contracts";
import { type UseQueryResult, useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import { QueryState } from "@/components/query-state.tsx";
import { api, type TokenItem } from "@/lib/api-client.ts";
import { type FormErrors, fieldErrors } from "@/lib/form-errors.ts";
import { errorText, Field, RoleField, roleLabel, when } from "./shared.tsx";

type TokensQuery = UseQueryResult<{ items: TokenItem[] }, Error>;
type CreatedToken = Awaited<ReturnType<typeof api.createToken>>;

const TOKEN_NAME = /^[A-Za-z0-9 ._-]+$/;

/** API tokens: their hints and use, revocation, and creation (the value is shown once). */
export function TokensPanel({ query }: { query: TokensQuery }) {
  const client = useQueryClient();
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const refresh = () => {
    void client.invalidateQueries({ queryKey: ["tokens"] });
    void client.invalidateQueries({ queryKey: ["audit"] });
  };
  const now = Date.now();

  return (
    <section aria-labelledby="tokens-heading">
      <div className="section-head">
        <h2 id="tokens-heading">API tokens</h2>
        <p className="status-line" role="status" data-testid="tokens-status">
          {status}
        </p>
      </div>
      <p className="muted">
        For scripts and CI: send one as <code>Authorization: Bearer &lt;token&gt;</code>. A token acts with
        its role, never above its creator's.
      </p>
      <QueryState
        query={query}
        loading="Loading tokens…"
        failed="Could not load tokens"
        empty={(data) => (data.items.length === 0 ? "No API tokens yet." : null)}
      >
        {(data) => (
          <div className="table-scroll">
            <table className="data" aria-label="API tokens" data-testid="tokens-table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Hint</th>
                  <th scope="col">Role</th>
                  <th scope="col">Expires</th>
                  <th scope="col">Last used</th>
                  <th scope="col">Status</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((token) => {
                  const expired = token.expiresAt !== null && Date.parse(token.expiresAt) < now;
                  return (
                    <tr key={token.id} data-testid={`token-${token.name}`}>
                      <td>{token.name}</td>
                      <td>
                        <code data-testid="token-hint">{token.hint}</code>
                      </td>
                      <td>{roleLabel(token.role)}</td>
                      <td className="nowrap">{when(token.expiresAt)}</td>
                      <td className="nowrap">{when(token.lastUsedAt)}</td>
                      <td data-testid="token-status">
                        {token.revoked ? (
                          <span className="badge bad">revoked</span>
                        ) : expired ? (
                          <span className="badge neutral">expired</span>
                        ) : (
                          <span className="badge ok">active</span>
                        )}
                      </td>
                      <td>
                        {token.revoked ? null : (
                          <RevokeCell
                            token={token}
                            onRevoked={() => {
                              setStatus(`Token ${token.name} is revoked: requests with it are refused now.`);
                              refresh();
                            }}
                          />
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </QueryState>
      <CreateTokenForm
        onCreated={(token) => {
          setStatus(null);
          setCreated(token);
          refresh();
        }}
      />
      {created !== null ? (
        <NewToken
          token={created}
          onDone={() => {
            setCreated(null);
            setStatus(`Token ${created.name} is ready; its value is no longer shown.`);
          }}
        />
      ) : null}
    </section>
  );
}

/** "Revoke" asks once more in place before it acts; focus moves to the question and back. */
function RevokeCell({ token, onRevoked }: { token: TokenItem; onRevoked: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const confirmButton = useRef<HTMLButtonElement>(null);
  const revokeButton = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef(false);
  const revoke = useMutation({ mutationFn: () => api.revokeToken(token.id), onSuccess: onRevoked });

  useEffect(() => {
    if (confirming) confirmButton.current?.focus();
    else if (returnFocus.current) {
      returnFocus.current = false;
      revokeButton.current?.focus();
    }
  }, [confirming]);

  return (
    <div className="revoke-cell">
      {confirming ? (
        <fieldset className="confirm">
          <legend className="confirm-question">Revoke {token.name}? Clients using it stop working.</legend>
          <button
            type="button"
            ref={confirmButton}
            className="danger"
            onClick={() => revoke.mutate()}
            disabled={revoke.isPending}
          >
            {revoke.isPending ? "Revoking…" : "Yes, revoke"}
          </button>
          <button
            type="button"
            onClick={() => {
              returnFocus.current = true;
              revoke.reset();
              setConfirming(false);
            }}
            disabled={revoke.isPending}
          >
            Cancel
          </button>
        </fieldset>
      ) : (
        <button
          type="button"
          ref={revokeButton}
          onClick={() => setConfirming(true)}
          aria-label={`Revoke ${token.name}`}
        >
          Revoke
        </button>
      )}
      {revoke.isError ? (
        <div className="error-text" role="alert">
          Could not revoke: {errorText(revoke.error)}
        </div>
      ) : null}
    </div>
  );
}

/** The new token's value, once: read-only, selectable, copyable, with the warning. */
function NewToken({ token, onDone }: { token: CreatedToken; onDone: () => void }) {
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<string | null>(null);
  const id = useId();
  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, []);

  async function copy() {
    try {
      await navigator.clipboard.writeText(token.token);
      setCopied("Copied to the clipboard.");
    } catch {
      input.current?.focus();
      input.current?.select();
      setCopied("Could not reach the clipboard: the value is selected, press Ctrl+C (⌘C) to copy it.");
    }
  }

  return (
    <div className="card new-token" data-testid="new-token">
      <p className="new-token-title">
        Token “{token.name}” created ({roleLabel(token.role).toLowerCase()}).
      </p>
      <p className="warning" id={`${id}-warning`}>
        <span aria-hidden="true">⚠ </span>Copy it now. MirrorDeck keeps only a hash, so this value will not be
        shown again.
      </p>
      <label htmlFor={id}>Token value</label>
      <div className="copy-row">
        <input
          id={id}
          ref={input}
          readOnly
          value={token.token}
          spellCheck={false}
          autoComplete="off"
          aria-describedby={`${id}-warning`}
          onFocus={(e) => e.currentTarget.select()}
          data-testid="new-token-value"
        />
        <button type="button" onClick={() => void copy()}>
          Copy
        </button>
      </div>
      <p className="muted" role="status">
        {copied ?? "\u00a0"}
      </p>
      <button type="button" onClick={onDone}>
        Done, I have stored it
      </button>
    </div>
  );
}

type Errors = FormErrors<"name" | "role" | "expiresInDays">;

function CreateTokenForm({ onCreated }: { onCreated: (token: CreatedToken) => void }) {
  const [name, setName] = useState("");
  const [role, setRole] = useState<RoleName>("VIEWER");
  const [days, setDays] = useState("");
  const [errors, setErrors] = useState<Errors>({});
  const create = useMutation({
    mutationFn: api.createToken,
    onSuccess: (token) => {
      setName("");
      setRole("VIEWER");
      setDays("");
      setErrors({});
      onCreated(token);
    },
    onError: (error) => setErrors(fieldErrors(error, ["name", "role", "expiresInDays"])),
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found: Errors = {};
    const trimmed = name.trim();
    if (trimmed === "") found.name = "Give the token a name, e.g. the script that will use it.";
    else if (trimmed.length > 100) found.name = "A token name is at most 100 characters.";
    else if (!TOKEN_NAME.test(trimmed)) found.name = "Use letters, digits, spaces, '.', '_' and '-'.";
    const expiresInDays = days.trim() === "" ? undefined : Number(days);
    if (
      expiresInDays !== undefined &&
      (!Number.isInteger(expiresInDays) || expiresInDays < 1 || expiresInDays > 3650)
    ) {
      found.expiresInDays = "A whole number of days from 1 to 3650, or empty for no expiry.";
    }
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    create.mutate({ name: trimmed, role, ...(expiresInDays !== undefined && { expiresInDays }) });
  }

  return (
    <form className="card admin-form" onSubmit={submit} noValidate aria-labelledby="create-token-heading">
      <h3 id="create-token-heading">Create token</h3>
      <div className="form-row">
        <Field label="Name" error={errors.name}>
          {(control) => (
            <input
              {...control}
              value={name}
              onChange={(e) => setName(e.target.value)}
              autoComplete="off"
              data-testid="new-token-name"
            />
          )}
        </Field>
        <RoleField value={role} onChange={setRole} error={errors.role} testId="new-token-role" />
        <Field
          label="Expires after (days)"
          hint="Optional; empty means never."
          error={errors.expiresInDays}
          className="field-narrow"
        >
          {(control) => (
            <input
              {...control}
              type="number"
              inputMode="numeric"
              min={1}
              max={3650}
              value={days}
              onChange={(e) => setDays(e.target.value)}
              data-testid="new-token-days"
            />
          )}
        </Field>
        <button type="submit" disabled={create.isPending} className="form-submit">
          {create.isPending ? "Creating…" : "Create token"}
        </button>
      </div>
      {errors.form ? (
        <p className="error-text" role="alert">
          {errors.form}
        </p>
      ) : null}
    </form>
  );
}
