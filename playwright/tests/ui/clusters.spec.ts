// The clusters page (add, test, edit, delete) and the import / export page, as an admin and as a viewer.
import { readFile } from "node:fs/promises";
import { type APIRequestContext, expect, type Page, test } from "@playwright/test";
import { eastBootstrap, westBootstrap } from "../../e2e-env.ts";
import { admin } from "../../support/api.ts";
import { signIn } from "../../support/auth.ts";
import { expectAccessible, screenshotThemes } from "../../support/ui.ts";

// Screenshots in two themes and two widths plus axe runs take a while on a busy machine.
test.describe.configure({ mode: "serial", timeout: 120_000 });

const stamp = Date.now().toString(36);
const east = `ui-east-${stamp}`;
const down = `ui-down-${stamp}`;
const a = `ui-a-${stamp}`;
const b = `ui-b-${stamp}`;
const viewer = { email: `ui-viewer-${stamp}@e2e.mirrordeck.test`, password: `viewer-password-${stamp}` };

/** Removes what this file created (flows first: a cluster in use cannot go). */
async function cleanUp(request: APIRequestContext): Promise<void> {
  const flows = (await (await request.get("/api/v1/flows", { headers: admin })).json()) as {
    items: { id: string; sourceAlias: string }[];
  };
  for (const flow of flows.items.filter((f) => [a, b].includes(f.sourceAlias))) {
    expect((await request.delete(`/api/v1/flows/${flow.id}`, { headers: admin })).status()).toBe(204);
  }
  for (const alias of [east, down, a, b]) {
    expect([204, 404]).toContain(
      (await request.delete(`/api/v1/clusters/${alias}`, { headers: admin })).status(),
    );
  }
}

test.afterAll(async ({ request }) => {
  await cleanUp(request);
});

/** Runs `step` at a phone's width (390 px), then returns to the desktop viewport. */
async function onPhone(page: Page, step: () => Promise<void>): Promise<void> {
  const desktop = page.viewportSize();
  await page.setViewportSize({ width: 390, height: 844 });
  await step();
  if (desktop) await page.setViewportSize(desktop);
}

async function openAddForm(page: Page) {
  await page.getByRole("button", { name: "Add cluster" }).click();
  const form = page.getByTestId("cluster-form");
  await expect(form.getByRole("heading", { name: "Add a cluster" })).toBeVisible();
  return form;
}

test("an admin adds a cluster after testing it, edits it and deletes it", async ({ page }, testInfo) => {
  // Every cluster list waits for the unreachable cluster's health check (up to the admin timeout).
  test.setTimeout(180_000);
  await signIn(page);
  await page.goto("/clusters");
  await expect(page.getByRole("heading", { name: "Clusters", level: 1 })).toBeVisible();
  const seeded = page.getByTestId("cluster-row-east");
  await expect(seeded.getByTestId("cluster-health")).toHaveText("reachable", { timeout: 15_000 });
  await expect(seeded.getByTestId("cluster-brokers")).toHaveText("1");

  // An invalid alias: the API's message appears beside the alias field.
  let form = await openAddForm(page);
  await expect(form.getByLabel("Alias")).toBeFocused();
  await form.getByLabel("Alias").fill("bad alias!");
  await form.getByLabel("Bootstrap servers").fill(eastBootstrap);
  await form.getByRole("button", { name: "Save cluster" }).click();
  await expect(form.getByTestId("field-alias").getByTestId("field-error")).toContainText(
    "alias may contain only letters, digits",
  );
  await expect(form.getByLabel("Alias")).toHaveAttribute("aria-invalid", "true");
  await expect(form.getByTestId("cluster-form-error")).toContainText("see the messages beside the fields");

  // Security fields follow the protocol.
  const protocol = form.getByLabel("Security protocol");
  await protocol.selectOption("SASL_SSL");
  await expect(form.getByTestId("sasl-fields")).toBeVisible();
  await expect(form.getByTestId("tls-fields")).toBeVisible();
  await expect(form.getByLabel("Password")).toHaveAttribute("type", "password");
  await page.screenshot({ path: testInfo.outputPath("clusters-form-sasl-ssl.png"), fullPage: true });
  await protocol.selectOption("SSL");
  await expect(form.getByTestId("sasl-fields")).toHaveCount(0);
  await expect(form.getByLabel("CA certificate (PEM)")).toBeVisible();
  await protocol.selectOption("PLAINTEXT");
  await expect(form.getByTestId("tls-fields")).toHaveCount(0);

  // A valid draft: Test connection reports what the broker said.
  await form.getByLabel("Alias").fill(east);
  await form.getByRole("button", { name: "Test connection" }).click();
  const result = form.getByTestId("connection-test-result");
  await expect(result.getByTestId("connection-reachable")).toHaveText("reachable", { timeout: 15_000 });
  await expect(result).toContainText("authenticated");
  await expect(result.getByTestId("connection-broker-count")).toHaveText("1");
  await expect(result.getByTestId("connection-kafka-version")).toHaveText(/\d+\.\d+/);
  await expect(result).toContainText(/answered in \d+ ms/);
  await expect(form.getByTestId("field-alias").getByTestId("field-error")).toHaveCount(0);
  await screenshotThemes(page, testInfo, "clusters-form");
  await expectAccessible(page);
  await onPhone(page, () => screenshotThemes(page, testInfo, "clusters-form-phone"));

  await form.getByRole("button", { name: "Save cluster" }).click();
  await expect(page.getByTestId("clusters-notice")).toHaveText(`Cluster ${east} added.`);
  await expect(page.getByTestId("cluster-form")).toHaveCount(0);
  const row = page.getByTestId(`cluster-row-${east}`);
  await expect(row.getByTestId("cluster-health")).toHaveText("reachable", { timeout: 15_000 });
  await expect(row.getByTestId("cluster-brokers")).toHaveText("1");
  await expect(row.getByTestId("cluster-kafka-version")).toHaveText(/\d+\.\d+/);

  // An unreachable bootstrap: the test says so in words, with what to check.
  form = await openAddForm(page);
  await form.getByLabel("Alias").fill(down);
  await form.getByLabel("Bootstrap servers").fill("127.0.0.1:1");
  await form.getByRole("button", { name: "Test connection" }).click();
  await expect(result.getByTestId("connection-reachable")).toHaveText("unreachable", { timeout: 20_000 });
  await expect(result.getByTestId("connection-error")).toContainText(`Cannot reach ${down} (127.0.0.1:1)`);
  await expect(result).toContainText("that the brokers are running");
  await form.getByRole("button", { name: "Save cluster" }).click();
  await expect(page.getByTestId("clusters-notice")).toHaveText(`Cluster ${down} added.`);
  await expect(page.getByTestId(`cluster-row-${down}`).getByTestId("cluster-health")).toHaveText(
    "unreachable",
    {
      timeout: 20_000,
    },
  );

  // Edit while someone else changes the cluster: the stale save says so and offers a reload.
  await page.getByRole("button", { name: `Edit ${east}` }).click();
  form = page.getByTestId("cluster-form");
  await expect(form.getByRole("heading", { name: `Edit cluster ${east}` })).toBeVisible();
  await expect(form.getByLabel("Alias")).toHaveCount(0);
  await expect(form.getByLabel("Bootstrap servers")).toHaveValue(eastBootstrap);
  const concurrent = await page.request.patch(`/api/v1/clusters/${east}`, {
    headers: admin,
    data: { version: 1, clientOverrides: { "request.timeout.ms": "30000" } },
  });
  expect(concurrent.status(), await concurrent.text()).toBe(200);
  await form.getByRole("button", { name: "Add override" }).click();
  await form.getByLabel("Value of client.id").fill("lost-edit");
  await form.getByRole("button", { name: "Save changes" }).click();
  await expect(form.getByTestId("cluster-form-error")).toContainText("changed since you read it");
  await form.getByRole("button", { name: /Reload the cluster/ }).click();
  await expect(form.getByLabel("Value of request.timeout.ms")).toHaveValue("30000");
  await expect(form.getByLabel("Value of client.id")).toHaveCount(0);
  await expect(form.getByTestId("cluster-form-error")).toHaveCount(0);

  // A client override with a bad value is refused beside it, then fixed.
  await form.getByRole("button", { name: "Add override" }).click();
  await form.getByLabel("Value of client.id").fill(`mirrordeck-${stamp}`);
  await form.getByRole("button", { name: "Add override" }).click();
  await form.getByLabel("Property of override 3").selectOption("retries");
  await form.getByLabel("Value of retries").fill("many");
  await form.getByRole("button", { name: "Save changes" }).click();
  await expect(form.locator(".override-error")).toHaveText("retries must be a whole number");
  await expect(form.getByLabel("Value of retries")).toHaveAttribute("aria-invalid", "true");
  await form.getByLabel("Value of retries").fill("7");
  await form.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByTestId("clusters-notice")).toHaveText(`Cluster ${east} saved.`);
  const saved = (await (await page.request.get(`/api/v1/clusters/${east}`, { headers: admin })).json()) as {
    clientOverrides: Record<string, string>;
    version: number;
  };
  expect(saved.clientOverrides).toEqual({
    "request.timeout.ms": "30000",
    "client.id": `mirrordeck-${stamp}`,
    retries: "7",
  });
  expect(saved.version).toBe(3);

  // An unchanged saved cluster is tested as saved.
  await page.getByRole("button", { name: `Edit ${east}` }).click();
  await expect(form.getByText("Tests the saved settings.")).toBeVisible();
  await form.getByRole("button", { name: "Test connection" }).click();
  await expect(result.getByTestId("connection-reachable")).toHaveText("reachable", { timeout: 15_000 });
  await form.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByTestId("cluster-form")).toHaveCount(0);

  // A cluster a flow uses cannot be deleted: the dialog names the flow.
  await page.getByRole("button", { name: "Delete east", exact: true }).click();
  let dialog = page.getByTestId("delete-cluster-dialog");
  await expect(dialog.getByRole("heading", { name: "Delete cluster east?" })).toBeVisible();
  await expect(dialog.getByRole("button", { name: "Cancel" })).toBeFocused();
  await dialog.getByRole("button", { name: "Delete" }).click();
  await expect(dialog.getByRole("alert")).toContainText("used by flow(s) east-to-west");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toHaveCount(0);

  for (const alias of [down, east]) {
    await page.getByRole("button", { name: `Delete ${alias}` }).click();
    dialog = page.getByTestId("delete-cluster-dialog");
    await dialog.getByRole("button", { name: "Delete" }).click();
    await expect(page.getByTestId("clusters-notice")).toHaveText(`Cluster ${alias} deleted.`);
    await expect(page.getByTestId(`cluster-row-${alias}`)).toHaveCount(0);
  }
  await expect(page.getByTestId("cluster-row-east")).toBeVisible();
});

test("an admin dry-runs and applies an mm2.properties import, and downloads the export", async ({
  page,
}, testInfo) => {
  await signIn(page);
  await page.goto("/import");
  await expect(page.getByRole("heading", { name: "Import / export", level: 1 })).toBeVisible();
  const text = page.getByLabel("mm2.properties content");
  const apply = page.getByRole("button", { name: "Apply" });

  // Not an mm2.properties file: the refusal in words.
  await text.fill("hello = world\n");
  await page.getByRole("button", { name: "Dry run" }).click();
  await expect(page.getByTestId("import-error")).toContainText("not an mm2.properties file");
  await expect(apply).toBeDisabled();

  // The file is uploaded: read in the browser into the text area.
  const file = [
    `clusters = ${a}, ${b}`,
    `${a}.bootstrap.servers = ${eastBootstrap}`,
    `${b}.bootstrap.servers = ${westBootstrap}`,
    `${a}->${b}.enabled = true`,
    `${a}->${b}.topics = orders`,
    "",
  ].join("\n");
  await page.getByLabel("Upload a file").setInputFiles({
    name: "mm2.properties",
    mimeType: "text/plain",
    buffer: Buffer.from(file),
  });
  await expect(text).toHaveValue(file);
  await expect(page.getByText("(loaded mm2.properties)")).toBeVisible();
  await expect(page.getByTestId("import-error")).toHaveCount(0);
  await expect(apply).toBeDisabled();
  await page.getByRole("button", { name: "Dry run" }).click();
  await expect(page.getByTestId("plan-summary")).toHaveText("Dry run: 2 clusters and 1 flow to create.");
  for (const alias of [a, b]) {
    await expect(page.getByTestId(`plan-cluster-${alias}`).getByTestId("plan-action")).toHaveText("create");
  }
  const flowRow = page.getByTestId(`plan-flow-${a}->${b}`);
  await expect(flowRow).toContainText(`${a} → ${b}`);
  await expect(flowRow).toContainText("orders");
  await expect(flowRow.getByTestId("plan-action")).toHaveText("create");
  await expect(page.getByText("Every key of the file is used.")).toBeVisible();
  await screenshotThemes(page, testInfo, "import-dry-run");
  await expectAccessible(page);
  await onPhone(page, () => screenshotThemes(page, testInfo, "import-dry-run-phone"));

  await expect(apply).toBeEnabled();
  await apply.click();
  const result = page.getByTestId("import-result");
  await expect(result).toContainText("2 clusters and 1 flow created.");
  await expect(result.getByTestId(`created-cluster-${a}`)).toBeVisible();
  await expect(result.getByTestId(`created-cluster-${b}`)).toBeVisible();
  await expect(result.getByTestId(`created-flow-${a}->${b}`)).toHaveAttribute(
    "href",
    /^\/flows\/[0-9a-f-]{36}$/,
  );
  await expect(apply).toBeDisabled();
  await page.screenshot({ path: testInfo.outputPath("import-applied.png"), fullPage: true });

  // A second dry run of the same file: nothing left to create.
  await page.getByRole("button", { name: "Dry run" }).click();
  await expect(page.getByTestId("plan-summary")).toContainText("2 clusters already there");

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Download mm2.properties" }).click(),
  ]);
  expect(download.suggestedFilename()).toBe("mm2.properties");
  const exported = await readFile(await download.path(), "utf8");
  expect(exported).toContain(`${a}->${b}.enabled`);
  expect(exported).toContain(`${a}.bootstrap.servers`);

  await cleanUp(page.request);
});

test("a viewer sees clusters and the export, but nothing that changes them", async ({
  page,
  request,
}, testInfo) => {
  const created = await request.post("/api/v1/users", {
    headers: admin,
    data: { ...viewer, role: "VIEWER" },
  });
  expect(created.status(), await created.text()).toBe(201);
  const { id } = (await created.json()) as { id: string };
  try {
    await signIn(page, viewer);
    await page.goto("/clusters");
    await expect(page.getByTestId("cluster-row-east").getByTestId("cluster-health")).toHaveText("reachable", {
      timeout: 15_000,
    });
    await expect(page.getByText("Only admins can add or change clusters.")).toBeVisible();
    await expect(page.getByRole("button", { name: "Add cluster" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: /^(Edit|Delete) / })).toHaveCount(0);
    await expectAccessible(page);
    await onPhone(page, () => screenshotThemes(page, testInfo, "clusters-viewer-phone"));

    await page.goto("/import");
    await expect(page.getByTestId("import-admin-only")).toBeVisible();
    await expect(page.getByRole("link", { name: "Download mm2.properties" })).toBeVisible();
    await expect(page.getByRole("button", { name: "Apply" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Dry run" })).toHaveCount(0);
  } finally {
    await request.patch(`/api/v1/users/${id}`, { headers: admin, data: { disabled: true } });
  }
});
