"use client";

import "@/styles/clusters.css";
import { MAX_IMPORT_BYTES } from "@mirrordeck/contracts";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type ChangeEvent, useId, useState } from "react";
import { ApiError, api, type ImportResponse } from "@/lib/api-client.ts";
import { useMe } from "@/lib/use-me.ts";
import { ImportPlanView, ImportResult, planSummary } from "./import-plan.tsx";

const EXAMPLE = `clusters = primary, backup
primary.bootstrap.servers = broker-1:9092
backup.bootstrap.servers = broker-9:9092
primary->backup.enabled = true
primary->backup.topics = orders.*`;

/** A refused import, in words, with what to do about it. */
function describeError(error: unknown): { title: string; message: string; hint?: string } {
  if (!(error instanceof ApiError)) {
    return {
      title: "MirrorDeck did not answer.",
      message: String(error),
      hint: "Check your connection and retry.",
    };
  }
  switch (error.code) {
    case "MM2_FILE_UNREADABLE":
      return {
        title: "The file could not be read.",
        message: error.message,
        hint: "Save it as UTF-8 text in Java properties format: one key = value per line.",
      };
    case "MM2_FILE_INVALID":
      return {
        title: "This is not an mm2.properties file MirrorDeck can import.",
        message: error.message,
        hint: "It needs a line such as clusters = a, b and a <alias>.bootstrap.servers line for each cluster.",
      };
    case "PAYLOAD_TOO_LARGE":
    case "MM2_FILE_TOO_LARGE":
      return {
        title: "The file is too large.",
        message: error.message,
        hint: `Files of up to ${MAX_IMPORT_BYTES / 1024 / 1024} MiB can be imported.`,
      };
    case "CONFLICT":
      return {
        title: "Nothing was imported.",
        message: error.message,
        hint: "Run the dry run again to see what conflicts, then change or remove it.",
      };
    case "FORBIDDEN":
      return { title: "Only admins can import.", message: error.message };
    default:
      return { title: "The import failed.", message: error.message };
  }
}

function ErrorBox({ error }: { error: unknown }) {
  const { title, message, hint } = describeError(error);
  return (
    <div role="alert" className="form-alert" data-testid="import-error">
      <p>
        <strong>{title}</strong> {message}
      </p>
      {hint ? <p className="muted">{hint}</p> : null}
    </div>
  );
}

/** /import: export the topology as mm2.properties; admins dry-run and apply an import. */
export function ImportExportPage() {
  const { me, can } = useMe();
  return (
    <div className="import-page">
      <h1>Import / export</h1>
      <section className="card export-card" aria-labelledby="export-title">
        <h2 id="export-title">Export</h2>
        <p>
          Every cluster and flow as one <code>mm2.properties</code> file that MirrorMaker 2 accepts. SASL
          passwords are written as{" "}
          <code>
            {"$"}
            {"{env:…}"}
          </code>{" "}
          placeholders, never their values.
        </p>
        <a
          className="button-link"
          href="/api/v1/export/mm2-properties"
          download="mm2.properties"
          data-testid="export-download"
        >
          Download mm2.properties
        </a>
      </section>

      <section aria-labelledby="import-title" className="import-section">
        <h2 id="import-title">Import</h2>
        {me === null ? (
          <p className="muted import-placeholder">Loading…</p>
        ) : can("ADMIN") ? (
          <ImportForm />
        ) : (
          <p className="muted" data-testid="import-admin-only">
            Only admins can import an mm2.properties file. You can download the export above.
          </p>
        )}
      </section>
    </div>
  );
}

function ImportForm() {
  const client = useQueryClient();
  const textId = useId();
  const fileId = useId();
  const [text, setText] = useState("");
  const [fileError, setFileError] = useState<string | null>(null);
  const [fileName, setFileName] = useState<string | null>(null);
  // The dry run and the exact text it was made for: Apply only ever applies what was previewed.
  const [preview, setPreview] = useState<{ text: string; result: ImportResponse } | null>(null);
  const [applied, setApplied] = useState<ImportResponse | null>(null);

  const dryRun = useMutation({
    mutationFn: (content: string) => api.importMm2(content, false),
    onSuccess: (result, content) => setPreview({ text: content, result }),
  });
  const apply = useMutation({
    mutationFn: (content: string) => api.importMm2(content, true),
    onSuccess: (result) => {
      setApplied(result);
      void client.invalidateQueries({ queryKey: ["clusters"] });
      void client.invalidateQueries({ queryKey: ["flows"] });
    },
  });
  const flows = useQuery({ queryKey: ["flows"], queryFn: api.flows, enabled: applied !== null });

  function changeText(next: string) {
    setText(next);
    if (preview !== null && next !== preview.text) setPreview(null);
    setApplied(null);
    dryRun.reset();
    apply.reset();
  }

  async function onFile(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    setFileError(null);
    if (!file) return;
    if (file.size > MAX_IMPORT_BYTES) {
      setFileError(
        `${file.name} is ${(file.size / 1024 / 1024).toFixed(1)} MiB; files of up to ${MAX_IMPORT_BYTES / 1024 / 1024} MiB can be imported.`,
      );
      return;
    }
    try {
      setFileName(file.name);
      changeText(await file.text());
    } catch (error) {
      setFileError(`${file.name} could not be read: ${String(error)}`);
    }
  }

  const plan = preview?.result.plan;
  const conflicts = plan
    ? [...plan.clusters, ...plan.flows].filter((item) => item.action === "conflict").length
    : 0;
  const creates = plan
    ? [...plan.clusters, ...plan.flows].filter((item) => item.action === "create").length
    : 0;
  const canApply = plan !== undefined && conflicts === 0 && creates > 0 && applied === null;
  const applyNote =
    applied !== null
      ? "Applied."
      : plan === undefined
        ? "Run a dry run first: Apply imports exactly what it showed."
        : conflicts > 0
          ? "Resolve the conflicts first: the import is all or nothing."
          : creates === 0
            ? "Nothing to create: everything in the file is already here."
            : "Creates what the dry run shows.";
  const error = apply.error ?? dryRun.error;

  return (
    <div className="import-form">
      <div className="form-field">
        <label htmlFor={textId}>mm2.properties content</label>
        <textarea
          id={textId}
          className="properties-input"
          rows={12}
          spellCheck={false}
          value={text}
          placeholder={EXAMPLE}
          onChange={(e) => changeText(e.target.value)}
          data-testid="import-text"
        />
        <span className="field-hint">
          Paste the file, or upload it below{fileName ? ` (loaded ${fileName})` : ""}. Passwords in it are
          stored encrypted and never shown again.
        </span>
      </div>
      <div className="form-field">
        <label htmlFor={fileId}>Upload a file</label>
        <input
          id={fileId}
          type="file"
          accept=".properties,.conf,.txt,text/plain"
          onChange={(e) => void onFile(e)}
          aria-describedby={fileError ? `${fileId}-error` : undefined}
        />
        {fileError ? (
          <span id={`${fileId}-error`} className="field-error">
            {fileError}
          </span>
        ) : null}
      </div>

      <div className="form-actions">
        <button
          type="button"
          onClick={() => {
            apply.reset();
            setApplied(null);
            dryRun.mutate(text);
          }}
          disabled={text.trim() === "" || dryRun.isPending || apply.isPending}
        >
          {dryRun.isPending ? "Reading the file…" : "Dry run"}
        </button>
        <button
          type="button"
          className="primary"
          onClick={() => preview && apply.mutate(preview.text)}
          disabled={!canApply || apply.isPending}
          aria-describedby={`${textId}-apply-note`}
        >
          {apply.isPending ? "Importing…" : "Apply"}
        </button>
        <span id={`${textId}-apply-note`} className="muted form-actions-note">
          {applyNote}
        </span>
      </div>

      {error ? <ErrorBox error={error} /> : null}

      <div aria-live="polite">
        {applied !== null ? <ImportResult result={applied} flows={flows.data?.items} /> : null}
        {plan ? (
          <>
            <p className="plan-summary" data-testid="plan-summary">
              {applied !== null ? "The file had: " : "Dry run: "}
              {planSummary(plan)}.
            </p>
            <ImportPlanView plan={plan} />
          </>
        ) : null}
      </div>
    </div>
  );
}
