// The flows pages: the new-flow wizard with its live preview and mm2.properties review, the edit
// page, and the flows list, as an admin and as a viewer.
import { expect, type Page, test } from "@playwright/test";
import { Kafka, logLevel } from "kafkajs";
import { e2eAdmin, eastBootstrap, westBootstrap } from "../../e2e-env.ts";
import { admin, expectError } from "../../support/api.ts";
import { signIn } from "../../support/auth.ts";
import { expectAccessible, screenshotThemes } from "../../support/ui.ts";

// axe over the long wizard page takes a while on a busy machine.
test.describe.configure({ mode: "serial", timeout: 180_000 });

const stamp = Date.now().toString(36);
const source = `uiflow-src-${stamp}`;
const target = `uiflow-tgt-${stamp}`;
const topic = `uiflow-${stamp}`;
const flowName = `${source}->${target}`;
const viewer = { email: `uiflow-viewer-${stamp}@e2e.mirrordeck.test`, password: `viewer-password-${stamp}` };
let flowId = "";

function kafkaAdmin() {
  return new Kafka({ brokers: [eastBootstrap], logLevel: logLevel.NOTHING }).admin();
}

test.beforeAll(async ({ request }) => {
  // The first sign-in creates the e2e admin when the database has no user yet: before the viewer.
  const first = await request.post("/api/v1/auth/login", { data: e2eAdmin });
  expect(first.status(), await first.text()).toBe(200);
  const kafka = kafkaAdmin();
  await kafka.connect();
  try {
    await kafka.createTopics({
      topics: [{ topic, numPartitions: 3, replicationFactor: 1 }],
      waitForLeaders: true,
    });
  } finally {
    await kafka.disconnect();
  }
  for (const [alias, bootstrapServers] of [
    [source, eastBootstrap],
    [target, westBootstrap],
  ] as const) {
    const created = await request.post("/api/v1/clusters", {
      headers: admin,
      data: { alias, bootstrapServers },
    });
    expect(created.status(), await created.text()).toBe(201);
  }
  const user = await request.post("/api/v1/users", { headers: admin, data: { ...viewer, role: "VIEWER" } });
  expect(user.status(), await user.text()).toBe(201);
});

test.afterAll(async ({ request }) => {
  if (flowId !== "") {
    expect([204, 404]).toContain(
      (await request.delete(`/api/v1/flows/${flowId}`, { headers: admin })).status(),
    );
  }
  for (const alias of [source, target]) {
    expect([204, 404]).toContain(
      (await request.delete(`/api/v1/clusters/${alias}`, { headers: admin })).status(),
    );
  }
  const kafka = kafkaAdmin();
  await kafka.connect();
  await kafka.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await kafka.disconnect();
});

/** The preview's row of one topic on the source. */
const previewRow = (page: Page, name: string) => page.getByTestId(`preview-topic-${name}`);

test("an admin creates a flow: live preview, a pattern error beside its field, mm2.properties review", async ({
  page,
}, testInfo) => {
  await signIn(page);
  await page.goto("/flows/new");
  await expect(page.getByRole("heading", { name: "New flow", level: 1 })).toBeVisible();

  const sourceSelect = page.getByLabel("Source cluster (copy from)");
  await expect(sourceSelect).toBeVisible({ timeout: 20_000 });
  await sourceSelect.selectOption(source);
  await page.getByLabel("Target cluster (copy to)").selectOption(target);
  // The source cannot be the target as well.
  await expect(
    page.getByLabel("Target cluster (copy to)").locator(`option[value="${source}"]`),
  ).toBeDisabled();

  // A pattern: the preview (debounced) lists the topic with its remote name, and `orders` as left out.
  const topics = page.getByLabel("Topics to replicate");
  await topics.fill(topic);
  const row = previewRow(page, topic);
  await expect(row.getByTestId("preview-remote")).toHaveText(`${source}.${topic}`, { timeout: 20_000 });
  await expect(row.getByTestId("preview-verdict")).toHaveAttribute("data-verdict", "replicated");
  await expect(row.getByRole("cell").nth(1)).toHaveText("3");
  const orders = previewRow(page, "orders").getByTestId("preview-verdict");
  await expect(orders).toHaveAttribute("data-verdict", "not-included");
  await expect(orders).toContainText("not included");
  await expect(page.getByTestId("preview-summary")).toContainText(/\d+ topics? with \d+ partitions? and/);

  // An invalid pattern: the API's message beside the field, and the input marked invalid.
  await topics.fill("(");
  const error = page.getByTestId("ff-topicsInclude-error");
  await expect(error).toContainText('Invalid pattern "("', { timeout: 20_000 });
  await expect(topics).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByTestId("preview-error")).toContainText("beside the field");

  // Back to a valid pattern: the error goes, the preview is back.
  await topics.fill(topic);
  await expect(error).toHaveCount(0, { timeout: 20_000 });
  await expect(row.getByTestId("preview-remote")).toHaveText(`${source}.${topic}`);

  // Single-broker demo clusters hold one replica; one MM2 option moved off its default.
  await page.getByLabel("Replication factor").fill("1");
  await page.getByLabel("Checkpoint interval").fill("30");

  // Review: the equivalent mm2.properties, built in the browser.
  const properties = page.getByTestId("mm2-properties");
  await expect(properties).toContainText(`${source}->${target}.enabled=true`);
  await expect(properties).toContainText(`${source}->${target}.topics=${topic}`);
  await expect(properties).toContainText(`${source}->${target}.replication.factor=1`);
  await expect(properties).toContainText(`${source}->${target}.emit.checkpoints.interval.seconds=30`);
  await expect(properties).toContainText(`${source}.bootstrap.servers=127.0.0.1\\:19092`);

  await expect(page.getByTestId("preview-summary")).toBeVisible();
  await screenshotThemes(page, testInfo, "flows-new");
  await expectAccessible(page);

  // Create (not start): the flow page opens.
  const created = page.waitForResponse(
    (r) => r.url().endsWith("/api/v1/flows") && r.request().method() === "POST",
  );
  await page.getByRole("button", { name: "Create", exact: true }).click();
  const response = await created;
  expect(response.status(), await response.text()).toBe(201);
  const body = (await response.json()) as { id: string; settings: Record<string, unknown>; enabled: boolean };
  flowId = body.id;
  // Only the setting that was changed is stored; the flow is not started.
  expect(body.settings).toEqual({ emitCheckpointsIntervalSeconds: 30 });
  expect(body.enabled).toBe(false);
  await expect(page).toHaveURL(`/flows/${flowId}`);
  await expect(page.getByRole("heading", { name: flowName, level: 1 })).toBeVisible();
  await expect(page.getByTestId("flow-state")).toHaveText("created");

  // The same direction again is refused, in words, at the top of the form.
  await page.goto("/flows/new");
  await page.getByLabel("Source cluster (copy from)").selectOption(source);
  await page.getByLabel("Target cluster (copy to)").selectOption(target);
  await expect(page.getByText("MM2 runs one flow per direction")).toBeVisible();
  await page.getByRole("button", { name: "Create", exact: true }).click();
  await expect(page.getByTestId("form-error")).toContainText(`already replicates ${source} to ${target}`);
});

test("an admin edits the flow: only the change is sent, and the revision shows on the flow page", async ({
  page,
}, testInfo) => {
  await signIn(page);
  await page.goto(`/flows/${flowId}`);
  await page.getByRole("link", { name: "Edit", exact: true }).click();
  await expect(page).toHaveURL(`/flows/${flowId}/edit`);
  await expect(page.getByRole("heading", { name: "Edit flow", level: 1 })).toBeVisible();

  // Prefilled; the direction is shown, not editable.
  await expect(page.getByTestId("fixed-direction")).toContainText(source);
  await expect(page.getByTestId("fixed-direction")).toContainText(target);
  await expect(page.getByLabel("Source cluster (copy from)")).toHaveCount(0);
  const tasks = page.getByLabel("Tasks (tasks.max)");
  await expect(tasks).toHaveValue("1");
  await expect(page.getByLabel("Topics to replicate")).toHaveValue(topic);
  await expect(page.getByLabel("Checkpoint interval")).toHaveValue("30");
  await expect(page.getByRole("button", { name: "Save changes" })).toBeDisabled();
  await expect(previewRow(page, topic).getByTestId("preview-remote")).toHaveText(`${source}.${topic}`, {
    timeout: 20_000,
  });

  await tasks.fill("3");
  await expect(page.getByTestId("form-changes")).toContainText("tasks.max");
  await expect(page.getByTestId("mm2-properties")).toContainText(`${source}->${target}.tasks.max=3`);
  await screenshotThemes(page, testInfo, "flows-edit");
  await expectAccessible(page);

  const patch = page.waitForRequest(
    (r) => r.url().endsWith(`/api/v1/flows/${flowId}`) && r.method() === "PATCH",
  );
  await page.getByRole("button", { name: "Save changes" }).click();
  expect((await patch).postDataJSON()).toEqual({ tasksMax: 3, version: 1 });
  await expect(page).toHaveURL(`/flows/${flowId}`);
  const revisions = page.getByTestId("flow-revisions");
  await expect(revisions).toContainText("v2");
  await expect(revisions.getByRole("table", { name: "Changes in version 2" })).toContainText("tasksMax");
});

test("an edit from a stale version is refused with a way to reload", async ({ page, request }) => {
  await signIn(page);
  await page.goto(`/flows/${flowId}/edit`);
  await expect(page.getByLabel("Tasks (tasks.max)")).toHaveValue("3");
  // Someone else changes the flow meanwhile.
  const other = await request.patch(`/api/v1/flows/${flowId}`, {
    headers: admin,
    data: { version: 2, tasksMax: 2 },
  });
  expect(other.status(), await other.text()).toBe(200);

  await page.getByLabel("Tasks (tasks.max)").fill("4");
  await page.getByRole("button", { name: "Save changes" }).click();
  const alert = page.getByTestId("form-error");
  await expect(alert).toContainText("This flow changed since you opened it");
  await alert.getByRole("button", { name: "Reload the flow" }).click();
  await expect(page.getByLabel("Tasks (tasks.max)")).toHaveValue("2");
  await expect(page.getByTestId("edit-intro")).toContainText("version 3");
  await expect(page.getByTestId("form-error")).toHaveCount(0);
});

test("the flows list shows the flow's state, with actions and New flow for an admin", async ({
  page,
}, testInfo) => {
  await signIn(page);
  await page.goto("/flows");
  await expect(page.getByRole("heading", { name: "Flows", level: 1 })).toBeVisible();
  const row = page.getByTestId(`flow-row-${flowName}`);
  await expect(row.getByTestId("flow-state")).toHaveText("created", { timeout: 15_000 });
  await expect(row).toContainText(`${source} → ${target}`);
  await expect(row.getByRole("link", { name: flowName })).toHaveAttribute("href", `/flows/${flowId}`);
  await expect(row.getByRole("button", { name: `Start ${flowName}` })).toBeVisible();
  await expect(row.getByTestId("flow-sparkline")).toBeVisible();
  // The seeded, running flow is listed too.
  await expect(page.getByTestId("flow-row-east-to-west")).toBeVisible();
  await expect(page.getByTestId("new-flow")).toHaveAttribute("href", "/flows/new");

  // A second refetch (5 s) adds a point to every sparkline: the row keeps its size.
  const before = await row.boundingBox();
  await expect(
    page.getByTestId("flow-row-east-to-west").getByTestId("flow-sparkline").locator("svg"),
  ).toBeVisible({
    timeout: 15_000,
  });
  const after = await row.boundingBox();
  expect(after?.height).toBe(before?.height);

  await screenshotThemes(page, testInfo, "flows-list");
  await expectAccessible(page);

  // A phone-width screen: the page stays usable.
  await page.setViewportSize({ width: 390, height: 800 });
  await expect(row.getByTestId("flow-state")).toBeVisible();
  // The table scrolls inside itself; the page does not scroll sideways.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.screenshot({ path: testInfo.outputPath("flows-list-phone.png"), fullPage: true });
});

test("a viewer sees no start, pause, resume or New flow, and a forced start is refused", async ({ page }) => {
  const login = await page.request.post("/api/v1/auth/login", { data: viewer });
  expect(login.status(), await login.text()).toBe(200);
  const { csrfToken } = (await login.json()) as { csrfToken: string };

  const me = page.waitForResponse((r) => r.url().endsWith("/api/v1/auth/me") && r.ok());
  await page.goto("/flows");
  await me;
  const row = page.getByTestId(`flow-row-${flowName}`);
  await expect(row.getByTestId("flow-state")).toHaveText("created", { timeout: 15_000 });
  await expect(page.getByTestId("flow-row-east-to-west")).toBeVisible();
  for (const name of ["Start", "Pause", "Resume"]) {
    await expect(page.getByRole("button", { name: new RegExp(`^${name}\\b`) })).toHaveCount(0);
  }
  await expect(page.getByTestId("new-flow")).toHaveCount(0);
  await expect(page.getByRole("link", { name: "New flow" })).toHaveCount(0);

  // The wizard says what a viewer may not do.
  await page.goto("/flows/new");
  await expect(page.getByTestId("admins-only")).toContainText("Only admins can create flows");

  // The API refuses what the page hides, even with a valid CSRF token.
  const forced = await page.request.post(`/api/v1/flows/${flowId}/start`, {
    headers: { "x-csrf-token": csrfToken },
  });
  await expectError(forced, 403, "FORBIDDEN");
});
