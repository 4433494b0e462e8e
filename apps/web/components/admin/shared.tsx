"use client";

import type { RoleName } from "@mirrordeck/contracts";
import { type ReactNode, useId } from "react";
import { ApiError } from "@/lib/api-client.ts";
import { errorText } from "@/lib/form-errors.ts";

export { errorText };

/** A refusal (4xx) will not change on retry: show it at once; retry other failures twice. */
export function retryUnlessRefused(failures: number, error: Error): boolean {
  return !(error instanceof ApiError && error.status >= 400 && error.status < 500) && failures < 2;
}

export const isForbidden = (error: unknown) =>
  error instanceof ApiError && (error.status === 403 || error.code === "FORBIDDEN");

/** Date and time for people, in one fixed format so server and browser agree. */
export const when = (iso: string | null, none = "never") =>
  iso === null ? none : new Date(iso).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short" });

export const roleLabel = (role: string) => role.charAt(0) + role.slice(1).toLowerCase();

/** What a signed-in non-admin sees instead of an admin page, with the API's own words. */
export function Refusal({ title, error }: { title: string; error: unknown }) {
  return (
    <div className="card refusal" role="alert" data-testid="refusal">
      <p className="refusal-title">{title}</p>
      <p className="muted">{errorText(error)}</p>
      <p>
        <a href="/">Back to the overview</a>
      </p>
    </div>
  );
}

export const ROLES: readonly RoleName[] = ["VIEWER", "OPERATOR", "ADMIN"];

/** A labelled form control with its hint and its error beside it (wired with aria-describedby). */
export function Field({
  label,
  hint,
  error,
  className,
  children,
}: {
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  className?: string;
  children: (control: { id: string; "aria-describedby"?: string; "aria-invalid"?: true }) => ReactNode;
}) {
  const id = useId();
  const described = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ");
  return (
    <div className={`field ${className ?? ""}`}>
      <label htmlFor={id}>{label}</label>
      {children({
        id,
        ...(described !== "" && { "aria-describedby": described }),
        ...(error ? { "aria-invalid": true as const } : {}),
      })}
      {hint ? (
        <span id={`${id}-hint`} className="muted field-hint">
          {hint}
        </span>
      ) : null}
      {error ? (
        <span id={`${id}-error`} className="error-text field-error">
          {error}
        </span>
      ) : null}
    </div>
  );
}

/** One option a role, labelled for people. */
export function RoleOptions() {
  return ROLES.map((r) => (
    <option key={r} value={r}>
      {roleLabel(r)}
    </option>
  ));
}

/** The role picker of the create forms. */
export function RoleField({
  value,
  onChange,
  error,
  testId,
}: {
  value: RoleName;
  onChange: (role: RoleName) => void;
  error: string | undefined;
  testId: string;
}) {
  return (
    <Field label="Role" error={error} className="field-narrow">
      {(control) => (
        <select
          {...control}
          value={value}
          onChange={(e) => onChange(e.target.value as RoleName)}
          data-testid={testId}
        >
          <RoleOptions />
        </select>
      )}
    </Field>
  );
}
