"use client";

import type { WebhookFormat } from "@mirrordeck/contracts";
import { type UseQueryResult, useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { QueryState } from "@/components/query-state.tsx";
import { api, type WebhookItem } from "@/lib/api-client.ts";
import { type FormErrors, fieldErrors } from "@/lib/form-errors.ts";
import { errorText, Field, when } from "./shared.tsx";

type WebhooksQuery = UseQueryResult<{ items: WebhookItem[] }, Error>;

const FORMAT_LABEL: Record<WebhookFormat, string> = { GENERIC: "Generic JSON", SLACK: "Slack-compatible" };

/** Where alert notifications go: every webhook gets every rule's firing and resolving. */
export function WebhooksPanel({ query }: { query: WebhooksQuery }) {
  const client = useQueryClient();
  const refresh = () => {
    void client.invalidateQueries({ queryKey: ["webhooks"] });
    void client.invalidateQueries({ queryKey: ["audit"] });
  };
  return (
    <section aria-labelledby="webhooks-heading">
      <div className="section-head">
        <h2 id="webhooks-heading">Alert webhooks</h2>
      </div>
      <p className="muted">
        Every alert rule that fires or resolves is posted to each webhook, retried with back-off for about 4
        minutes. A URL is shown by its origin only: its path can be a credential (Slack's is).
      </p>
      <QueryState
        query={query}
        loading="Loading webhooks…"
        failed="Could not load webhooks"
        empty={(data) => (data.items.length === 0 ? "No webhooks: alerts show in the UI only." : null)}
      >
        {(data) => (
          <div className="table-scroll">
            <table className="data" aria-label="Alert webhooks" data-testid="webhooks-table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Sends to</th>
                  <th scope="col">Format</th>
                  <th scope="col">Added</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((hook) => (
                  <WebhookRow key={hook.id} hook={hook} onDeleted={refresh} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </QueryState>
      <AddWebhookForm onAdded={refresh} />
    </section>
  );
}

function WebhookRow({ hook, onDeleted }: { hook: WebhookItem; onDeleted: () => void }) {
  const remove = useMutation({ mutationFn: () => api.deleteWebhook(hook.id), onSuccess: onDeleted });
  return (
    <tr data-testid={`webhook-${hook.name}`}>
      <td>{hook.name}</td>
      <td>
        <code>{hook.origin}</code>
      </td>
      <td>{FORMAT_LABEL[hook.format]}</td>
      <td className="nowrap">{when(hook.createdAt)}</td>
      <td>
        <button
          type="button"
          onClick={() => remove.mutate()}
          disabled={remove.isPending}
          aria-label={`Delete webhook ${hook.name}`}
        >
          Delete
        </button>
        {remove.isError ? (
          <div className="error-text" role="alert">
            Could not delete: {errorText(remove.error)}
          </div>
        ) : null}
      </td>
    </tr>
  );
}

const FIELDS = ["name", "url", "format"] as const;

function AddWebhookForm({ onAdded }: { onAdded: () => void }) {
  const [name, setName] = useState("");
  const [url, setUrl] = useState("");
  const [format, setFormat] = useState<WebhookFormat>("GENERIC");
  const [errors, setErrors] = useState<FormErrors<(typeof FIELDS)[number]>>({});
  const add = useMutation({
    mutationFn: () => api.createWebhook({ name, url, format }),
    onSuccess: () => {
      setErrors({});
      setName("");
      setUrl("");
      onAdded();
    },
    onError: (error) => setErrors(fieldErrors(error, FIELDS)),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate();
  };
  return (
    <form className="card admin-form" onSubmit={submit} noValidate aria-label="Add a webhook">
      <h3>Add a webhook</h3>
      <div className="form-row">
        <Field label="Name" error={errors.name}>
          {(control) => <input {...control} value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <Field label="URL" error={errors.url}>
          {(control) => (
            <input
              {...control}
              type="url"
              value={url}
              placeholder="https://hooks.slack.com/services/…"
              onChange={(e) => setUrl(e.target.value)}
            />
          )}
        </Field>
        <Field label="Format" error={errors.format}>
          {(control) => (
            <select {...control} value={format} onChange={(e) => setFormat(e.target.value as WebhookFormat)}>
              {(Object.keys(FORMAT_LABEL) as WebhookFormat[]).map((f) => (
                <option key={f} value={f}>
                  {FORMAT_LABEL[f]}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <button type="submit" disabled={add.isPending}>
        {add.isPending ? "Adding…" : "Add webhook"}
      </button>
      {errors.form ? (
        <p className="error-text" role="alert">
          {errors.form}
        </p>
      ) : null}
    </form>
  );
}
