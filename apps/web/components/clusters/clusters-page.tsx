"use client";

import "@/styles/clusters.css";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { api } from "@/lib/api-client.ts";
import { useMe } from "@/lib/use-me.ts";
import { ClusterForm } from "./cluster-form.tsx";
import { ClusterTable } from "./cluster-table.tsx";
import { DeleteClusterDialog } from "./delete-cluster-dialog.tsx";

type Editor = { mode: "create" } | { mode: "edit"; alias: string } | null;

/** /clusters: every cluster with its health; admins add, edit, test and delete them. */
export function ClustersPage() {
  const { me, can } = useMe();
  const admin = can("ADMIN");
  const clusters = useQuery({ queryKey: ["clusters"], queryFn: api.clusters, refetchInterval: 10_000 });
  const [editor, setEditor] = useState<Editor>(null);
  const [deleting, setDeleting] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const addButton = useRef<HTMLButtonElement>(null);

  // Deep links from other pages: /clusters?new, /clusters?edit=<alias> (e.g. "set the password").
  useEffect(() => {
    const params = new URLSearchParams(window.location.search);
    const edit = params.get("edit");
    if (edit) setEditor({ mode: "edit", alias: edit });
    else if (params.has("new")) setEditor({ mode: "create" });
  }, []);

  function close(message: string | null) {
    setEditor(null);
    setNotice(message);
    if (window.location.search !== "") window.history.replaceState(null, "", "/clusters");
    requestAnimationFrame(() => addButton.current?.focus());
  }

  const editing =
    editor?.mode === "edit" ? clusters.data?.items.find((c) => c.alias === editor.alias) : undefined;
  const lastChecked = clusters.dataUpdatedAt
    ? new Date(clusters.dataUpdatedAt).toLocaleTimeString("en-GB", { hour12: false })
    : null;

  return (
    <div className="clusters-page">
      <div className="page-head">
        <div>
          <h1>Clusters</h1>
          <p className="muted">
            The Kafka clusters flows replicate between. Health is checked every 10 s
            <span className="checked-at">{lastChecked ? `; last at ${lastChecked}` : ""}</span>.
          </p>
        </div>
        {admin ? (
          <button
            ref={addButton}
            type="button"
            className="primary"
            onClick={() => {
              setNotice(null);
              setEditor({ mode: "create" });
            }}
            disabled={editor?.mode === "create"}
          >
            Add cluster
          </button>
        ) : me !== null ? (
          <p className="muted role-note">Only admins can add or change clusters.</p>
        ) : null}
      </div>

      <p role="status" className="notice" data-testid="clusters-notice">
        {notice}
      </p>

      {admin && editor?.mode === "create" ? (
        <ClusterForm
          key="create"
          mode="create"
          onSaved={(alias) => close(`Cluster ${alias} added.`)}
          onCancel={() => close(null)}
        />
      ) : null}
      {admin && editor?.mode === "edit" && editing ? (
        <ClusterForm
          key={`edit-${editing.alias}`}
          mode="edit"
          cluster={editing}
          onSaved={(alias) => close(`Cluster ${alias} saved.`)}
          onCancel={() => close(null)}
        />
      ) : null}
      {admin && editor?.mode === "edit" && clusters.isSuccess && !editing ? (
        <p className="error-text">No cluster with alias {editor.alias}: it may have been deleted.</p>
      ) : null}

      {clusters.isError ? (
        <p className="error-text" role="alert">
          Could not load clusters: {clusters.error.message}
        </p>
      ) : null}
      <ClusterTable
        items={clusters.data?.items}
        loading={clusters.isPending}
        admin={admin}
        onEdit={(alias) => {
          setNotice(null);
          setEditor({ mode: "edit", alias });
        }}
        onDelete={(alias) => {
          setNotice(null);
          setDeleting(alias);
        }}
      />

      {deleting !== null ? (
        <DeleteClusterDialog
          alias={deleting}
          onClose={() => setDeleting(null)}
          onDeleted={(alias) => {
            setDeleting(null);
            if (editor?.mode === "edit" && editor.alias === alias) setEditor(null);
            setNotice(`Cluster ${alias} deleted.`);
          }}
        />
      ) : null}
    </div>
  );
}
