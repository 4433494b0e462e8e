"use client";

import "@/styles/flows.css";
import type { FlowDetail } from "@mirrordeck/contracts";
import { type ExportCluster, exportMm2Properties } from "@mirrordeck/mm2-interchange";
import { useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useMemo, useRef, useState } from "react";
import { ApiError, api, type ClusterListItem } from "@/lib/api-client.ts";
import { Field, RadioGroup, TextField } from "./fields.tsx";
import {
  createBody,
  definitionFromDraft,
  draftFromFlow,
  FIELD_DEFAULTS,
  type FieldErrors,
  type FlowDraft,
  newDraft,
  parseDraft,
  type SettingKey,
  updateBody,
} from "./flow-draft.ts";
import { SelectionPreview } from "./selection-preview.tsx";
import { SettingsFields } from "./settings-fields.tsx";
import { useDraftPreview } from "./use-draft-preview.ts";

/** Fields the preview endpoint validates: its errors are shown beside them. */
const PREVIEW_FIELDS = ["topicsInclude", "topicsExclude", "groupsInclude", "groupsExclude", "separator"];

const PATTERN_HINT = "Comma-separated Java regular expressions, each matching a whole name.";

type Props = { clusters: ClusterListItem[] } & (
  | { mode: "create"; existingPairs: Map<string, { id: string; name: string }> }
  | { mode: "edit"; flow: FlowDetail; onReload: () => void; reloading: boolean }
);

function exportCluster(cluster: ClusterListItem): ExportCluster {
  return {
    alias: cluster.alias,
    bootstrapServers: cluster.bootstrapServers,
    securityProtocol: cluster.securityProtocol,
    sasl:
      cluster.sasl === null ? null : { mechanism: cluster.sasl.mechanism, username: cluster.sasl.username },
  };
}

function asApiError(error: unknown): ApiError {
  return error instanceof ApiError
    ? error
    : new ApiError("NETWORK", error instanceof Error ? error.message : String(error), 0);
}

const FIELD_LABELS: Record<string, string> = {
  name: "Name",
  topicsInclude: "Topics",
  topicsExclude: "Excluded topics",
  groupsInclude: "Groups",
  groupsExclude: "Excluded groups",
  replicationPolicy: "Replication policy",
  separator: "Separator",
  startPosition: "Start position",
  tasksMax: "tasks.max",
  replicationFactor: "Replication factor",
  settings: "MM2 options",
};

const show = (value: unknown) =>
  typeof value === "string" ? value || "(empty)" : value === undefined ? "(default)" : JSON.stringify(value);

/**
 * The flow form shared by the wizard and the edit page: clusters, selection patterns with a live
 * preview, replication options and MM2's settings, and a review of the equivalent mm2.properties.
 */
export function FlowForm(props: Props) {
  const router = useRouter();
  const client = useQueryClient();
  // The flow as the user first saw it: its version guards the save against someone else's edit.
  const [base] = useState<FlowDetail | null>(props.mode === "edit" ? props.flow : null);
  const [draft, setDraft] = useState<FlowDraft>(() => (base ? draftFromFlow(base) : newDraft()));
  const [attempted, setAttempted] = useState(false);
  const [submitError, setSubmitError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState<"create" | "start" | "save" | null>(null);
  const [createdNotStarted, setCreatedNotStarted] = useState<FlowDetail | null>(null);
  const alertRef = useRef<HTMLDivElement>(null);

  const preview = useDraftPreview(draft);
  const parsed = useMemo(() => parseDraft(draft), [draft]);
  const { clusters } = props;
  const source = clusters.find((c) => c.alias === draft.sourceAlias);
  const target = clusters.find((c) => c.alias === draft.targetAlias);

  const set = <K extends keyof FlowDraft>(key: K, value: FlowDraft[K]) => {
    setDraft((d) => ({ ...d, [key]: value }));
    if (submitError?.code !== "STALE_VERSION") setSubmitError(null);
  };
  const setSetting = (key: SettingKey, value: string | boolean | undefined) => {
    setDraft((d) => {
      const settings = { ...d.settings };
      if (value === undefined) delete settings[key];
      else settings[key] = value;
      return { ...d, settings };
    });
    if (submitError?.code !== "STALE_VERSION") setSubmitError(null);
  };

  const required: FieldErrors =
    attempted && props.mode === "create"
      ? {
          ...(draft.sourceAlias === "" && { sourceAlias: "choose the cluster to copy from" }),
          ...(draft.targetAlias === "" && { targetAlias: "choose the cluster to copy to" }),
        }
      : {};
  const errorFor = (field: string): string | undefined =>
    parsed.errors[field] ??
    required[field] ??
    submitError?.fieldError(field) ??
    (PREVIEW_FIELDS.includes(field) ? preview.error?.fieldError(field) : undefined);
  const patternErrorShown = PREVIEW_FIELDS.some((f) => preview.error?.fieldError(f) !== undefined);

  const existing =
    props.mode === "create" && draft.sourceAlias !== "" && draft.targetAlias !== ""
      ? props.existingPairs.get(`${draft.sourceAlias}->${draft.targetAlias}`)
      : undefined;

  const changes = base ? updateBody(base, draft, parsed) : null;
  const changedKeys = changes ? Object.keys(changes) : [];

  const properties = useMemo((): { text: string | null; message: string } => {
    if (source === undefined || target === undefined) {
      return { text: null, message: "Choose a source and a target to see the file." };
    }
    try {
      return {
        text: exportMm2Properties({
          clusters: [exportCluster(source), exportCluster(target)],
          flows: [definitionFromDraft(draft, parsed)],
        }),
        message: "",
      };
    } catch (error) {
      return { text: null, message: error instanceof Error ? error.message : String(error) };
    }
  }, [source, target, draft, parsed]);

  const fail = (error: ApiError) => {
    setSubmitError(error);
    setBusy(null);
    requestAnimationFrame(() => alertRef.current?.focus());
  };

  async function submit(kind: "create" | "start" | "save") {
    setAttempted(true);
    const missing = props.mode === "create" && (draft.sourceAlias === "" || draft.targetAlias === "");
    if (missing || Object.keys(parsed.errors).length > 0) {
      fail(new ApiError("INVALID_INPUT", "Some fields need attention: see the messages beside them.", 0));
      return;
    }
    setBusy(kind);
    setSubmitError(null);
    try {
      if (props.mode === "create") {
        const flow = await api.createFlow(createBody(draft, parsed));
        client.setQueryData(["flow", flow.id], flow);
        void client.invalidateQueries({ queryKey: ["flows"] });
        if (kind === "start") {
          try {
            await api.flowAction(flow.id, "start");
          } catch (error) {
            setCreatedNotStarted(flow);
            fail(asApiError(error));
            return;
          }
        }
        router.push(`/flows/${flow.id}`);
      } else if (base !== null) {
        const saved = await api.updateFlow(base.id, {
          ...updateBody(base, draft, parsed),
          version: base.version,
        });
        client.setQueryData(["flow", saved.id], saved);
        void client.invalidateQueries({ queryKey: ["flows"] });
        void client.invalidateQueries({ queryKey: ["flow-revisions", saved.id] });
        router.push(`/flows/${saved.id}`);
      }
    } catch (error) {
      fail(asApiError(error));
    }
  }

  const exampleTopic =
    preview.preview?.topics.find((t) => t.verdict === "replicated" && !t.name.endsWith("heartbeats"))?.name ??
    "orders";
  const sourceName = draft.sourceAlias || "source";
  const targetBrokers = target?.health.brokerCount ?? null;
  const rfTooHigh =
    targetBrokers !== null &&
    parsed.replicationFactor !== undefined &&
    parsed.replicationFactor > targetBrokers;

  return (
    <form
      className="ff"
      aria-label={props.mode === "create" ? "New flow" : `Edit flow ${base?.name ?? ""}`}
      noValidate
      onSubmit={(e) => e.preventDefault()}
    >
      <div ref={alertRef} tabIndex={-1} role="alert" className="ff-alert-slot">
        {submitError ? (
          <div className="ff-alert" data-testid="form-error">
            {submitError.code === "STALE_VERSION" && props.mode === "edit" ? (
              <>
                <p>
                  <strong>This flow changed since you opened it.</strong> {submitError.message}
                </p>
                <button type="button" onClick={props.onReload} disabled={props.reloading}>
                  {props.reloading ? "Reloading…" : "Reload the flow"}
                </button>
              </>
            ) : createdNotStarted ? (
              <p>
                The flow was created, but it could not be started: {submitError.message}{" "}
                <a href={`/flows/${createdNotStarted.id}`}>Open the flow</a>
              </p>
            ) : (
              <p>Not saved: {submitError.message}</p>
            )}
          </div>
        ) : null}
      </div>

      <section className="ff-section" aria-labelledby="ff-h-clusters">
        <h2 id="ff-h-clusters">
          <span className="ff-step">1</span> Clusters
        </h2>
        <div className="ff-row">
          {props.mode === "create" ? (
            <>
              <Field
                id="ff-sourceAlias"
                label="Source cluster (copy from)"
                error={errorFor("sourceAlias")}
                hint="Topics and consumer groups are read here."
              >
                <select
                  id="ff-sourceAlias"
                  value={draft.sourceAlias}
                  onChange={(e) => set("sourceAlias", e.target.value)}
                  aria-invalid={errorFor("sourceAlias") ? true : undefined}
                  aria-describedby={`ff-sourceAlias-hint${errorFor("sourceAlias") ? " ff-sourceAlias-error" : ""}`}
                >
                  <option value="">Choose a cluster…</option>
                  {clusters.map((c) => (
                    <option key={c.alias} value={c.alias}>
                      {c.alias} · {c.bootstrapServers}
                      {c.health.reachable ? "" : " (unreachable)"}
                    </option>
                  ))}
                </select>
              </Field>
              <Field
                id="ff-targetAlias"
                label="Target cluster (copy to)"
                error={errorFor("targetAlias")}
                hint={
                  existing ? (
                    <>
                      {draft.sourceAlias} → {draft.targetAlias} already has flow{" "}
                      <a href={`/flows/${existing.id}`}>{existing.name}</a>: MM2 runs one flow per direction,
                      so edit that one instead.
                    </>
                  ) : (
                    "Remote topics are created and written here."
                  )
                }
              >
                <select
                  id="ff-targetAlias"
                  value={draft.targetAlias}
                  onChange={(e) => set("targetAlias", e.target.value)}
                  aria-invalid={errorFor("targetAlias") ? true : undefined}
                  aria-describedby={`ff-targetAlias-hint${errorFor("targetAlias") ? " ff-targetAlias-error" : ""}`}
                >
                  <option value="">Choose a cluster…</option>
                  {clusters.map((c) => (
                    <option key={c.alias} value={c.alias} disabled={c.alias === draft.sourceAlias}>
                      {c.alias} · {c.bootstrapServers}
                      {c.health.reachable ? "" : " (unreachable)"}
                    </option>
                  ))}
                </select>
              </Field>
            </>
          ) : (
            <div className="ff-fixed-wrap">
              <dl className="ff-fixed" data-testid="fixed-direction" aria-describedby="ff-fixed-hint">
                <div>
                  <dt>Source</dt>
                  <dd>{draft.sourceAlias}</dd>
                </div>
                <div>
                  <dt>Target</dt>
                  <dd>{draft.targetAlias}</dd>
                </div>
              </dl>
              <p id="ff-fixed-hint" className="muted ff-hint">
                A flow's direction is fixed: another direction is another flow.
              </p>
            </div>
          )}
          <TextField
            id="ff-name"
            label="Name"
            value={draft.name}
            onChange={(v) => set("name", v)}
            placeholder={`${sourceName}->${draft.targetAlias || "target"}`}
            hint={
              props.mode === "create"
                ? "Optional: letters, digits, '.', '_', '-' and '>'. Defaults to source->target."
                : "Letters, digits, '.', '_', '-' and '>'."
            }
            error={errorFor("name")}
          />
        </div>
      </section>

      <section className="ff-section" aria-labelledby="ff-h-selection">
        <h2 id="ff-h-selection">
          <span className="ff-step">2</span> What to replicate
        </h2>
        <div className="ff-selection">
          <div className="ff-patterns">
            <TextField
              id="ff-topicsInclude"
              label="Topics to replicate"
              value={draft.topicsInclude}
              onChange={(v) => set("topicsInclude", v)}
              placeholder="e.g. orders, payments\..*"
              hint={`${PATTERN_HINT} MM2 default: ${FIELD_DEFAULTS.topicsInclude}`}
              error={errorFor("topicsInclude")}
              mono
            />
            <TextField
              id="ff-topicsExclude"
              label="Topics to leave out"
              value={draft.topicsExclude}
              onChange={(v) => set("topicsExclude", v)}
              hint={`MM2 default: ${FIELD_DEFAULTS.topicsExclude}`}
              error={errorFor("topicsExclude")}
              mono
            />
            <TextField
              id="ff-groupsInclude"
              label="Consumer groups to translate"
              value={draft.groupsInclude}
              onChange={(v) => set("groupsInclude", v)}
              hint={`Their committed offsets are checkpointed to the target. MM2 default: ${FIELD_DEFAULTS.groupsInclude}`}
              error={errorFor("groupsInclude")}
              mono
            />
            <TextField
              id="ff-groupsExclude"
              label="Consumer groups to leave out"
              value={draft.groupsExclude}
              onChange={(v) => set("groupsExclude", v)}
              hint={`MM2 default: ${FIELD_DEFAULTS.groupsExclude}`}
              error={errorFor("groupsExclude")}
              mono
            />
          </div>
          <SelectionPreview
            state={preview}
            sourceAlias={draft.sourceAlias}
            targetAlias={draft.targetAlias}
            patternErrorShown={patternErrorShown}
          />
        </div>
      </section>

      <section className="ff-section" aria-labelledby="ff-h-how">
        <h2 id="ff-h-how">
          <span className="ff-step">3</span> How to replicate
        </h2>
        <div className="ff-row">
          <RadioGroup
            name="replicationPolicy"
            legend="Remote topic names"
            value={draft.replicationPolicy}
            onChange={(v) => set("replicationPolicy", v)}
            options={[
              {
                value: "DEFAULT",
                label: (
                  <>
                    Prefixed with the source (DEFAULT):{" "}
                    <code>
                      {exampleTopic} → {sourceName}
                      {draft.separator}
                      {exampleTopic}
                    </code>
                  </>
                ),
              },
              {
                value: "IDENTITY",
                label: (
                  <>
                    Same name (IDENTITY):{" "}
                    <code>
                      {exampleTopic} → {exampleTopic}
                    </code>
                  </>
                ),
              },
            ]}
            hint="IDENTITY cannot tell replicated topics from local ones: avoid it for two-way replication."
          />
          <TextField
            id="ff-separator"
            label="Separator"
            value={draft.separator}
            onChange={(v) => set("separator", v)}
            hint={`Between the alias and the topic name. MM2 default: ${FIELD_DEFAULTS.separator}`}
            error={errorFor("separator")}
            mono
          />
          <RadioGroup
            name="startPosition"
            legend="Start position"
            value={draft.startPosition}
            onChange={(v) => set("startPosition", v)}
            options={[
              { value: "EARLIEST", label: "Earliest: copy the records already there" },
              { value: "LATEST", label: "Latest: only records written from now on" },
            ]}
            hint="For partitions without a stored position (consumer.auto.offset.reset)."
          />
          <TextField
            id="ff-tasksMax"
            label="Tasks (tasks.max)"
            value={draft.tasksMax}
            onChange={(v) => set("tasksMax", v)}
            numeric
            hint={`Partitions are spread over this many tasks, 1 to 64. MM2 default: ${FIELD_DEFAULTS.tasksMax}`}
            error={errorFor("tasksMax")}
          />
          <TextField
            id="ff-replicationFactor"
            label="Replication factor"
            value={draft.replicationFactor}
            onChange={(v) => set("replicationFactor", v)}
            numeric
            hint={
              rfTooHigh
                ? `${draft.targetAlias} has ${targetBrokers} broker${targetBrokers === 1 ? "" : "s"}: remote topics cannot have more replicas than that.`
                : `Replicas of each remote topic on the target. MM2 default: ${FIELD_DEFAULTS.replicationFactor}`
            }
            error={errorFor("replicationFactor")}
          />
        </div>
        <h3 className="ff-subhead">MM2 options</h3>
        <p className="muted">
          Empty fields and untouched switches keep the default shown; only what you change is saved.
        </p>
        <SettingsFields settings={draft.settings} onChange={setSetting} errorFor={errorFor} />
      </section>

      <section className="ff-section" aria-labelledby="ff-h-review">
        <h2 id="ff-h-review">
          <span className="ff-step">4</span> Review
        </h2>
        {changes !== null ? (
          changedKeys.length === 0 ? (
            <p className="muted" data-testid="form-changes">
              No changes yet.
            </p>
          ) : (
            <table className="data ff-changes" aria-label="Changes to save" data-testid="form-changes">
              <thead>
                <tr>
                  <th scope="col">Field</th>
                  <th scope="col">Now</th>
                  <th scope="col">After saving</th>
                </tr>
              </thead>
              <tbody>
                {changedKeys.map((key) => (
                  <tr key={key}>
                    <th scope="row">{FIELD_LABELS[key] ?? key}</th>
                    <td className="ff-break">
                      {show(key === "settings" ? base?.settings : base?.[key as keyof FlowDetail])}
                    </td>
                    <td className="ff-break">{show((changes as Record<string, unknown>)[key])}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        ) : null}
        <h3 className="ff-subhead" id="ff-properties-heading">
          Equivalent mm2.properties
        </h3>
        <p className="muted">
          What MirrorMaker 2 would need for this flow once it is started; passwords stay out of the file.
        </p>
        {properties.text !== null ? (
          <pre
            className="ff-properties"
            data-testid="mm2-properties"
            // biome-ignore lint/a11y/noNoninteractiveTabindex: the file scrolls, so it must be reachable by keyboard
            tabIndex={0}
          >
            {properties.text}
          </pre>
        ) : (
          <p className="muted ff-properties-empty">{properties.message}</p>
        )}
        <div className="ff-actions">
          {props.mode === "create" ? (
            <>
              <button
                type="button"
                className="primary"
                onClick={() => void submit("create")}
                disabled={busy !== null || createdNotStarted !== null}
              >
                {busy === "create" ? "Creating…" : "Create"}
              </button>
              <button
                type="button"
                onClick={() => void submit("start")}
                disabled={busy !== null || createdNotStarted !== null}
              >
                {busy === "start" ? "Creating and starting…" : "Create and start"}
              </button>
              <a className="button-link" href="/flows">
                Cancel
              </a>
            </>
          ) : (
            <>
              <button
                type="button"
                className="primary"
                onClick={() => void submit("save")}
                disabled={busy !== null || changedKeys.length === 0}
              >
                {busy === "save" ? "Saving…" : "Save changes"}
              </button>
              <a className="button-link" href={`/flows/${base?.id ?? ""}`}>
                Cancel
              </a>
            </>
          )}
        </div>
      </section>
    </form>
  );
}
