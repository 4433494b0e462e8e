import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { e2eBaseUrl, e2eBootstrapToken } from "../../e2e-env.ts";
import { admin } from "../../support/api.ts";

const readme = readFileSync(path.resolve(import.meta.dirname, "../../../README.md"), "utf8");

/** The README's curl session, exactly as written between its markers. */
function sessionScript(): string {
  const block = /<!-- api-session:start -->\s*```bash\n([\s\S]*?)```\s*<!-- api-session:end -->/.exec(readme);
  if (block === null) throw new Error("README has no api-session block");
  return block[1] as string;
}

test("the README's curl session creates two clusters and a flow with a token, and exports them", async ({
  request,
}) => {
  const run = spawnSync("bash", ["-euo", "pipefail", "-c", sessionScript()], {
    env: { ...process.env, MIRRORDECK_URL: e2eBaseUrl, TOKEN: e2eBootstrapToken },
    encoding: "utf8",
    timeout: 60_000,
  });
  expect(run.status, run.stderr + run.stdout).toBe(0);
  expect(run.stdout).toContain('"alias":"primary"');
  expect(run.stdout).toContain('"reachable":true');
  expect(run.stdout).toContain('"status":"accepted"');
  expect(run.stdout).toContain('"lossIfSourceLostNow"');
  expect(run.stdout).toContain("primary->backup.enabled=false");

  // Leave the e2e database as it was.
  const flows = (await (await request.get("/api/v1/flows", { headers: admin })).json()) as {
    items: { id: string; sourceAlias: string }[];
  };
  for (const flow of flows.items.filter((f) => f.sourceAlias === "primary")) {
    expect((await request.delete(`/api/v1/flows/${flow.id}`, { headers: admin })).status()).toBe(204);
  }
  for (const alias of ["primary", "backup"]) {
    expect((await request.delete(`/api/v1/clusters/${alias}`, { headers: admin })).status()).toBe(204);
  }
});
