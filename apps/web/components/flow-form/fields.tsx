"use client";

import type { ReactNode } from "react";

interface FieldProps {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  className?: string;
}

/** The ids an input's aria-describedby lists: its hint and its error, when they are shown. */
export function describedBy(id: string, hint: unknown, error: string | undefined): string | undefined {
  const ids = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean);
  return ids.length > 0 ? ids.join(" ") : undefined;
}

/** A label, the control, a hint and the field's error right beside it. */
export function Field({ id, label, hint, error, className, children }: FieldProps & { children: ReactNode }) {
  return (
    <div className={`ff-field${className ? ` ${className}` : ""}`}>
      <label htmlFor={id}>{label}</label>
      {children}
      {hint ? (
        <p id={`${id}-hint`} className="muted ff-hint">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="error-text ff-error" data-testid={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

export function TextField({
  value,
  onChange,
  placeholder,
  numeric,
  mono,
  disabled,
  unit,
  ...field
}: FieldProps & {
  value: string;
  onChange: (value: string) => void;
  placeholder?: string;
  numeric?: boolean;
  mono?: boolean;
  disabled?: boolean;
  unit?: string | undefined;
}) {
  const input = (
    <input
      id={field.id}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      placeholder={placeholder}
      inputMode={numeric ? "numeric" : undefined}
      className={mono ? "ff-mono" : undefined}
      spellCheck={false}
      autoComplete="off"
      disabled={disabled}
      aria-invalid={field.error ? true : undefined}
      aria-describedby={describedBy(field.id, field.hint, field.error)}
    />
  );
  return (
    <Field {...field}>
      {unit ? (
        <span className="ff-with-unit">
          {input}
          <span className="muted" aria-hidden="true">
            {unit}
          </span>
        </span>
      ) : (
        input
      )}
    </Field>
  );
}

/** Radio buttons in a fieldset: the legend names the group. */
export function RadioGroup<T extends string>({
  name,
  legend,
  value,
  options,
  onChange,
  hint,
}: {
  name: string;
  legend: string;
  value: T;
  options: { value: T; label: ReactNode }[];
  onChange: (value: T) => void;
  hint?: ReactNode;
}) {
  return (
    <fieldset className="ff-radios" aria-describedby={hint ? `ff-${name}-hint` : undefined}>
      <legend>{legend}</legend>
      {options.map((o) => (
        <label key={o.value}>
          <input
            type="radio"
            name={name}
            value={o.value}
            checked={value === o.value}
            onChange={() => onChange(o.value)}
          />{" "}
          {o.label}
        </label>
      ))}
      {hint ? (
        <p id={`ff-${name}-hint`} className="muted ff-hint">
          {hint}
        </p>
      ) : null}
    </fieldset>
  );
}
