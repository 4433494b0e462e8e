"use client";

import type { RoleName } from "@mirrordeck/contracts";
import { type UseQueryResult, useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { QueryState } from "@/components/query-state.tsx";
import { api, type UserItem } from "@/lib/api-client.ts";
import { type FormErrors, fieldErrors } from "@/lib/form-errors.ts";
import { useMe } from "@/lib/use-me.ts";
import { errorText, Field, RoleField, RoleOptions, roleLabel, when } from "./shared.tsx";

type UsersQuery = UseQueryResult<{ items: UserItem[] }, Error>;
type Change = { role?: RoleName; disabled?: boolean };

/** Users: change a role or disable someone in place; add a user below. */
export function UsersPanel({ query }: { query: UsersQuery }) {
  const client = useQueryClient();
  const { me } = useMe();
  // Values shown while a change is on its way (the select and checkbox follow the server otherwise).
  const [pending, setPending] = useState<Record<string, Change>>({});
  const [rowError, setRowError] = useState<{ id: string; field: keyof Change; message: string } | null>(null);
  const [status, setStatus] = useState<string | null>(null);

  const update = useMutation({
    mutationFn: ({ user, change }: { user: UserItem; change: Change }) => api.updateUser(user.id, change),
    onMutate: ({ user, change }) => {
      setRowError(null);
      setStatus(null);
      setPending((p) => ({ ...p, [user.id]: change }));
    },
    onSuccess: (updated, { change }) => {
      client.setQueryData<{ items: UserItem[] }>(["users"], (old) =>
        old === undefined ? old : { items: old.items.map((u) => (u.id === updated.id ? updated : u)) },
      );
      setStatus(
        change.role !== undefined
          ? `${updated.email} is now ${roleLabel(updated.role).toLowerCase()}.`
          : updated.disabled
            ? `${updated.email} is disabled and can no longer sign in.`
            : `${updated.email} can sign in again.`,
      );
      void client.invalidateQueries({ queryKey: ["users"] });
      void client.invalidateQueries({ queryKey: ["audit"] });
    },
    onError: (error, { user, change }) =>
      setRowError({
        id: user.id,
        field: change.role !== undefined ? "role" : "disabled",
        message: errorText(error),
      }),
    onSettled: (_data, _error, { user }) =>
      setPending((p) => {
        const { [user.id]: _done, ...rest } = p;
        return rest;
      }),
  });

  return (
    <section aria-labelledby="users-heading">
      <div className="section-head">
        <h2 id="users-heading">Users</h2>
        <p className="status-line" role="status" data-testid="users-status">
          {status}
        </p>
      </div>
      <QueryState query={query} loading="Loading users…" failed="Could not load users">
        {(data) => (
          <div className="table-scroll">
            <table className="data" aria-label="Users" data-testid="users-table">
              <thead>
                <tr>
                  <th scope="col">E-mail</th>
                  <th scope="col">Role</th>
                  <th scope="col">Disabled</th>
                  <th scope="col">Last sign-in</th>
                  <th scope="col">Created</th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((user) => {
                  const change = pending[user.id];
                  const role = change?.role ?? user.role;
                  const disabled = change?.disabled ?? user.disabled;
                  const error = rowError?.id === user.id ? rowError : null;
                  const self = me?.kind === "user" && me.label === `user:${user.email}`;
                  return (
                    <tr key={user.id} data-testid={`user-${user.email}`}>
                      <td>
                        {user.email}
                        {self ? <span className="muted"> (you)</span> : null}
                      </td>
                      <td>
                        <select
                          aria-label={`Role of ${user.email}`}
                          value={role}
                          disabled={change !== undefined}
                          onChange={(e) =>
                            update.mutate({ user, change: { role: e.target.value as RoleName } })
                          }
                          data-testid="user-role"
                        >
                          <RoleOptions />
                        </select>
                        {error?.field === "role" ? (
                          <div className="error-text" role="alert" data-testid="user-error">
                            {error.message}
                          </div>
                        ) : null}
                      </td>
                      <td>
                        <label className="check">
                          <input
                            type="checkbox"
                            checked={disabled}
                            disabled={change !== undefined}
                            onChange={(e) => update.mutate({ user, change: { disabled: e.target.checked } })}
                            data-testid="user-disabled"
                          />
                          <span className="visually-hidden">{user.email} disabled</span>
                        </label>
                        {error?.field === "disabled" ? (
                          <div className="error-text" role="alert" data-testid="user-error">
                            {error.message}
                          </div>
                        ) : null}
                      </td>
                      <td className="nowrap">{when(user.lastLoginAt)}</td>
                      <td className="nowrap">{when(user.createdAt)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </QueryState>
      <AddUserForm
        onCreated={(user) => {
          setStatus(`Added ${user.email} as ${roleLabel(user.role).toLowerCase()}.`);
          void client.invalidateQueries({ queryKey: ["users"] });
          void client.invalidateQueries({ queryKey: ["audit"] });
        }}
      />
    </section>
  );
}

type Errors = FormErrors<"email" | "password" | "role">;

function AddUserForm({ onCreated }: { onCreated: (user: UserItem) => void }) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [role, setRole] = useState<RoleName>("VIEWER");
  const [errors, setErrors] = useState<Errors>({});
  const create = useMutation({
    mutationFn: api.createUser,
    onSuccess: (user) => {
      setEmail("");
      setPassword("");
      setRole("VIEWER");
      setErrors({});
      onCreated(user);
    },
    onError: (error) => setErrors(fieldErrors(error, ["email", "password", "role"])),
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found: Errors = {};
    if (!/^[^\s@]+@[^\s@]+$/.test(email.trim()))
      found.email = "Give an e-mail address, like name@example.com.";
    if (password.length < 12) found.password = "Passwords are at least 12 characters.";
    setErrors(found);
    if (Object.keys(found).length === 0) create.mutate({ email: email.trim(), password, role });
  }

  return (
    <form className="card admin-form" onSubmit={submit} noValidate aria-labelledby="add-user-heading">
      <h3 id="add-user-heading">Add user</h3>
      <div className="form-row">
        <Field label="E-mail" error={errors.email}>
          {(control) => (
            <input
              {...control}
              type="email"
              autoComplete="off"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              data-testid="new-user-email"
            />
          )}
        </Field>
        <Field label="Password" hint="At least 12 characters." error={errors.password}>
          {(control) => (
            <input
              {...control}
              type="password"
              autoComplete="new-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              data-testid="new-user-password"
            />
          )}
        </Field>
        <RoleField value={role} onChange={setRole} error={errors.role} testId="new-user-role" />
        <button type="submit" disabled={create.isPending} className="form-submit">
          {create.isPending ? "Adding…" : "Add user"}
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
