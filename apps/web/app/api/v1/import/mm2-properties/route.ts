import { randomUUID } from "node:crypto";
import { AppError } from "@mirrordeck/contracts";
import { importTopology, TopologyImportConflict } from "@mirrordeck/db";
import { Mm2InterchangeError, planMm2Import } from "@mirrordeck/mm2-interchange";
import { newClusterRecord } from "@/lib/server/clusters/cluster-mapping.ts";
import { database } from "@/lib/server/database.ts";
import { newFlowFields } from "@/lib/server/flows/create-flow.ts";
import { defineRoute } from "@/lib/server/http/define-route.ts";
import { currentTopology } from "@/lib/server/mm2-topology.ts";
import { announceFlowsChanged } from "@/lib/server/queues.ts";

export const dynamic = "force-dynamic";

/**
 * Reads an mm2.properties file (the request body, as text) and answers with the plan: clusters
 * and flows it would create, keys it cannot honour, conflicts with what exists. `?apply=true`
 * then creates them, all or nothing as far as conflicts go: any conflict refuses the apply.
 */
export const POST = defineRoute("import.mm2", async ({ bytes, query, principal, audit }) => {
  let plan: ReturnType<typeof planMm2Import>;
  try {
    plan = planMm2Import(bytes, await currentTopology());
  } catch (error) {
    if (!(error instanceof Mm2InterchangeError)) throw error;
    throw new AppError(error.code === "MM2_EXPORT_INVALID" ? "MM2_FILE_INVALID" : error.code, error.message);
  }
  // Passwords in the file go into the store, never back out in the answer.
  const publicPlan = {
    ...plan,
    clusters: plan.clusters.map((c) => ({
      ...c,
      input: {
        ...c.input,
        sasl: c.input.sasl
          ? { ...c.input.sasl, password: undefined, passwordGiven: c.input.sasl.password !== undefined }
          : c.input.sasl,
      },
    })),
  };
  const conflicts = [...plan.clusters, ...plan.flows].filter((item) => item.action === "conflict");
  audit.details = {
    apply: query.apply === "true",
    clusters: plan.clusters.length,
    flows: plan.flows.length,
    conflicts: conflicts.length,
  };
  if (query.apply !== "true") return Response.json({ applied: false, plan: publicPlan });
  if (conflicts.length > 0) {
    throw new AppError(
      "CONFLICT",
      `The file conflicts with ${conflicts.length} existing cluster(s) or flow(s); nothing was imported. Run the dry run to see them.`,
      {
        conflicts: conflicts.map((c) => ({ name: "alias" in c ? c.alias : c.name, conflict: c.conflict })),
      },
    );
  }
  const clusters = plan.clusters
    .filter((c) => c.action === "create")
    .map((c) => {
      const id = randomUUID();
      return { id, alias: c.input.alias, record: newClusterRecord(id, c.input) };
    });
  const flows = plan.flows
    .filter((f) => f.action === "create")
    .map((f) => ({
      ...newFlowFields(f.input),
      sourceAlias: f.input.sourceAlias,
      targetAlias: f.input.targetAlias,
    }));
  let flowIds: string[];
  try {
    ({ flowIds } = await importTopology(database(), clusters, flows, principal.label));
  } catch (error) {
    if (!(error instanceof TopologyImportConflict)) throw error;
    throw new AppError("CONFLICT", `Nothing was imported: ${error.what}.`);
  }
  await Promise.all(flowIds.map((id) => announceFlowsChanged(id)));
  const created = { clusters: clusters.map((c) => c.alias), flows: flows.map((f) => f.name) };
  // Clusters whose file named a config-provider placeholder: their flows report the missing
  // password until an admin sets it (PATCH /clusters/{alias}).
  const needsSecrets = plan.clusters
    .filter((c) => c.action === "create" && c.passwordPlaceholder !== undefined)
    .map((c) => c.alias);
  audit.details = { ...audit.details, created, needsSecrets };
  return Response.json({ applied: true, created, needsSecrets, plan: publicPlan });
});
