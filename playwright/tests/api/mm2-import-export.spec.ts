import { readFileSync } from "node:fs";
import path from "node:path";
import { type ImportPlan, planMm2Import } from "@mirrordeck/mm2-interchange";
import { expect, test } from "@playwright/test";
import { seedDemo } from "../../../scripts/demo/seed-demo.ts";
import { e2eDatabaseUrl, e2eWebLog, eastBootstrap, westBootstrap } from "../../e2e-env.ts";
import { admin, expectError } from "../../support/api.ts";

test.describe.configure({ mode: "serial" });

const fixtures = path.resolve(import.meta.dirname, "../../../packages/mm2-interchange/fixtures");
const text = { ...admin, "content-type": "text/plain" };
const fileSecrets = [
  "Backup-S3cret!",
  "Producer-S3cret",
  "Truststore-S3cret",
  "Central-Keystore-S3cret",
  "Central-Key-S3cret",
];

type PublicPlan = Omit<ImportPlan, "clusters"> & {
  clusters: (Omit<ImportPlan["clusters"][number], "input"> & { input: Record<string, unknown> })[];
};

/** What a plan means, independent of what exists: cluster and flow inputs without passwords. */
function meaning(plan: PublicPlan | ImportPlan, aliases: string[]) {
  return {
    clusters: plan.clusters
      .filter((c) => aliases.includes(c.alias))
      .map((c) => {
        const { sasl, ...rest } = c.input as Record<string, unknown> & {
          sasl?: Record<string, unknown> | null;
        };
        return {
          ...rest,
          sasl: sasl ? { mechanism: sasl.mechanism, username: sasl.username } : (sasl ?? null),
        };
      })
      .sort((a, b) =>
        String((a as { alias?: unknown }).alias).localeCompare(String((b as { alias?: unknown }).alias)),
      ),
    flows: plan.flows
      .filter((f) => aliases.includes(f.input.sourceAlias) && aliases.includes(f.input.targetAlias))
      .map((f) => f.input)
      .sort((a, b) => `${a.sourceAlias}${a.targetAlias}`.localeCompare(`${b.sourceAlias}${b.targetAlias}`)),
  };
}

async function removeTopology(
  request: import("@playwright/test").APIRequestContext,
  aliases: string[],
): Promise<void> {
  const flows = (await (await request.get("/api/v1/flows", { headers: admin })).json()) as {
    items: { id: string; sourceAlias: string }[];
  };
  for (const flow of flows.items.filter((f) => aliases.includes(f.sourceAlias))) {
    expect((await request.delete(`/api/v1/flows/${flow.id}`, { headers: admin })).status()).toBe(204);
  }
  for (const alias of aliases) {
    expect((await request.delete(`/api/v1/clusters/${alias}`, { headers: admin })).status()).toBe(204);
  }
}

async function roundTrip(
  request: import("@playwright/test").APIRequestContext,
  file: string,
  aliases: string[],
  expected: { flows: number; placeholders: number; needsSecrets?: string[] },
) {
  const content = readFileSync(path.join(fixtures, file));
  const dryRun = await request.post("/api/v1/import/mm2-properties", { headers: text, data: content });
  expect(dryRun.status(), await dryRun.text()).toBe(200);
  const dryText = await dryRun.text();
  const { applied, plan } = JSON.parse(dryText) as { applied: boolean; plan: PublicPlan };
  expect(applied).toBe(false);
  expect(plan.clusters.map((c) => c.action)).toEqual(aliases.map(() => "create"));
  expect(plan.flows).toHaveLength(expected.flows);
  expect(plan.placeholdersNeeded).toHaveLength(expected.placeholders);
  expect(plan.ignoredKeys.length).toBeGreaterThan(0);
  for (const secret of fileSecrets) expect(dryText).not.toContain(secret);
  // A dry run creates nothing.
  await expectError(
    await request.get(`/api/v1/clusters/${aliases[0]}`, { headers: admin }),
    404,
    "NOT_FOUND",
  );

  const apply = await request.post("/api/v1/import/mm2-properties?apply=true", {
    headers: text,
    data: content,
  });
  expect(apply.status(), await apply.text()).toBe(200);
  const result = (await apply.json()) as {
    applied: boolean;
    created: { clusters: string[]; flows: string[] };
    needsSecrets: string[];
  };
  expect(result.needsSecrets).toEqual(expected.needsSecrets ?? []);
  expect(result.created.clusters.sort()).toEqual([...aliases].sort());
  expect(result.created.flows).toHaveLength(expected.flows);

  // Applying the same file again conflicts (flows exist) and changes nothing.
  await expectError(
    await request.post("/api/v1/import/mm2-properties?apply=true", { headers: text, data: content }),
    409,
    "CONFLICT",
  );

  const exported = await request.get("/api/v1/export/mm2-properties", { headers: admin });
  expect(exported.headers()["content-type"]).toContain("text/plain");
  const exportText = await exported.text();
  for (const secret of fileSecrets) expect(exportText).not.toContain(secret);
  // Lossless: the export, read again, means what the original meant (passwords become placeholders).
  const reread = planMm2Import(exportText, { clusters: [], flows: [] });
  expect(meaning(reread, aliases)).toEqual(meaning(plan, aliases));
  await removeTopology(request, aliases);
}

test("active-passive (SCRAM password in the file, identity policy) round-trips", async ({ request }) => {
  await roundTrip(request, "active-passive.properties", ["primary", "backup"], { flows: 1, placeholders: 0 });
});

test("active-active (password from a config provider) round-trips", async ({ request }) => {
  await roundTrip(request, "active-active.properties", ["us-west", "us-east"], {
    flows: 2,
    placeholders: 1,
    needsSecrets: ["us-east"],
  });
});

test("a hub of three clusters: conflicts with existing clusters are shown and refuse the apply; then it round-trips", async ({
  request,
}) => {
  const content = readFileSync(path.join(fixtures, "hub.properties"));
  const dry = (await (
    await request.post("/api/v1/import/mm2-properties", { headers: text, data: content })
  ).json()) as { plan: PublicPlan };
  // The demo's east and west exist with other bootstrap servers.
  expect(
    dry.plan.clusters
      .filter((c) => c.action === "conflict")
      .map((c) => c.alias)
      .sort(),
  ).toEqual(["east", "west"]);
  await expectError(
    await request.post("/api/v1/import/mm2-properties?apply=true", { headers: text, data: content }),
    409,
    "CONFLICT",
  );
  await expectError(await request.get("/api/v1/clusters/central", { headers: admin }), 404, "NOT_FOUND");

  // Without the demo topology the same file imports, and survives the round trip.
  await removeTopology(request, ["east", "west"]);
  try {
    await roundTrip(request, "hub.properties", ["east", "west", "central"], { flows: 2, placeholders: 0 });
  } finally {
    await seedDemo(e2eDatabaseUrl, { eastBootstrap, westBootstrap });
  }
});

test("no secret from the files reached the server's log", () => {
  const log = readFileSync(e2eWebLog, "utf8");
  for (const secret of fileSecrets) expect(log).not.toContain(secret);
});
