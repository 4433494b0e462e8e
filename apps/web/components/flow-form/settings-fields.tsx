"use client";

import { describedBy, Field, TextField } from "./fields.tsx";
import {
  SETTING_SECTIONS,
  type SettingDraft,
  type SettingField,
  type SettingKey,
  settingDefault,
} from "./flow-draft.ts";

const onOff = (value: boolean) => (value ? "on" : "off");

function defaultHint(field: SettingField): string {
  const value = settingDefault(field.key);
  const shown =
    typeof value === "boolean"
      ? onOff(value)
      : field.kind === "list"
        ? "Kafka's throttling, timestamp and replica settings"
        : field.kind === "principals"
          ? "names kept"
          : `${value}${field.unit ? ` ${field.unit}` : ""}`;
  const source = field.mm2 === null ? "MirrorDeck default" : `MM2 default`;
  return `${source}: ${shown}${field.mm2 === null ? "" : ` · ${field.mm2}`}`;
}

/** MM2's options of a flow; an empty field or an untouched toggle keeps MM2's default. */
export function SettingsFields({
  settings,
  onChange,
  errorFor,
}: {
  settings: SettingDraft;
  onChange: (key: SettingKey, value: string | boolean | undefined) => void;
  errorFor: (field: string) => string | undefined;
}) {
  const toggleOn = (key: SettingKey): boolean => {
    const value = settings[key] ?? settingDefault(key);
    return value === true;
  };
  return (
    <div className="ff-settings">
      {SETTING_SECTIONS.map((section) => (
        <fieldset key={section.title} className="ff-settings-group">
          <legend>{section.title}</legend>
          {section.fields.map((field) => {
            const id = `ff-settings-${field.key}`;
            const error = errorFor(`settings.${field.key}`);
            const hint = [field.hint, defaultHint(field)].filter(Boolean).join(" ");
            const off = field.dependsOn !== undefined && !toggleOn(field.dependsOn);
            const value = settings[field.key];
            if (field.kind === "toggle") {
              return (
                <div key={field.key} className="ff-field ff-toggle">
                  <label htmlFor={id}>
                    <input
                      id={id}
                      type="checkbox"
                      checked={toggleOn(field.key)}
                      onChange={(e) => onChange(field.key, e.target.checked)}
                      aria-describedby={describedBy(id, hint, error)}
                    />{" "}
                    {field.label}
                  </label>
                  <p id={`${id}-hint`} className="muted ff-hint">
                    {hint}
                  </p>
                  {error ? (
                    <p id={`${id}-error`} className="error-text ff-error">
                      {error}
                    </p>
                  ) : null}
                </div>
              );
            }
            if (field.kind === "location") {
              return (
                <Field key={field.key} id={id} label={field.label} hint={hint} error={error}>
                  <select
                    id={id}
                    value={typeof value === "string" ? value : ""}
                    disabled={off}
                    onChange={(e) => onChange(field.key, e.target.value === "" ? undefined : e.target.value)}
                    aria-describedby={describedBy(id, hint, error)}
                  >
                    <option value="">Default ({String(settingDefault(field.key))} cluster)</option>
                    <option value="source">The source cluster</option>
                    <option value="target">The target cluster</option>
                  </select>
                </Field>
              );
            }
            return (
              <TextField
                key={field.key}
                id={id}
                label={field.label}
                hint={hint}
                error={error}
                value={typeof value === "string" ? value : ""}
                onChange={(v) => onChange(field.key, v === "" ? undefined : v)}
                placeholder={
                  field.kind === "int"
                    ? String(settingDefault(field.key))
                    : field.kind === "principals"
                      ? "User:alice -> User:alice-dr"
                      : "MM2's default list"
                }
                numeric={field.kind === "int"}
                mono={field.kind === "list" || field.kind === "principals"}
                unit={field.unit}
                disabled={off}
              />
            );
          })}
        </fieldset>
      ))}
    </div>
  );
}
