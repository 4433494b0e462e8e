import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { e2eAdmin } from "../../e2e-env.ts";
import { admin, bearer } from "../../support/api.ts";
import { signIn } from "../../support/auth.ts";
import { expectAccessible, screenshotThemes } from "../../support/ui.ts";

const stamp = Date.now();

test("the overview draws the topology, the alerts and the fleet totals", async ({
  page,
  request,
}, testInfo) => {
  // A cluster nobody answers for, so the alerts have something to say (removed at the end).
  test.setTimeout(120_000);
  const offline = `offline-${stamp}`;
  const created = await request.post("/api/v1/clusters", {
    headers: admin,
    data: { alias: offline, bootstrapServers: "127.0.0.1:9" },
  });
  expect(created.status(), await created.text()).toBe(201);
  try {
    await signIn(page);
    await page.goto("/");
    await expect(page.getByRole("heading", { name: "Overview", exact: true })).toBeVisible();

    const topology = page.getByTestId("topology");
    await expect(topology).toBeVisible();
    for (const alias of ["east", "west"]) {
      const node = page.getByTestId(`topology-node-${alias}`);
      await expect(node).toHaveAccessibleName(`Cluster ${alias}: reachable, 1 broker`);
      await expect(node).toContainText("1 broker");
      // A node leads to its cluster's card further down.
      await expect(node).toHaveAttribute("href", `#cluster-${alias}`);
    }
    await expect(page.getByTestId(`topology-node-${offline}`)).toHaveAccessibleName(
      new RegExp(`^Cluster ${offline}: unreachable`),
    );
    const edge = page.getByTestId("topology-edge-east-to-west");
    await expect(edge).toHaveAccessibleName(/^Flow east-to-west from east to west, /);
    await expect(edge).toHaveAttribute("href", /^\/flows\/[0-9a-f-]{36}$/);
    await expect(edge).toContainText("east-to-west");
    await expect(edge.getByTestId("topology-edge-figures")).not.toBeEmpty();
    // Alerts: the silent cluster, in words.
    const alerts = page.getByTestId("alerts");
    await expect(alerts.getByTestId("alert-cluster").filter({ hasText: offline })).toContainText(
      "is unreachable",
    );
    await expect(alerts.getByTestId("alert-count")).toHaveText(/^\d+$/);

    // Totals.
    await expect(page.getByTestId("totals-throughput")).toContainText("rec/s");
    await expect(page.getByTestId("totals-flows")).toHaveText(/^\d+ \/ \d+$/);
    const clusters = (await page.getByTestId("totals-clusters").textContent()) ?? "";
    const [reachable, total] = clusters.split(" / ").map(Number);
    expect(total).toBeGreaterThanOrEqual(3);
    expect(reachable).toBeLessThan(total ?? 0);
    await expect(page.getByTestId("totals-worst-lag")).not.toBeEmpty();

    // The cards and the table stay below.
    await expect(page.getByTestId("cluster-east").getByText("reachable", { exact: true })).toBeVisible();
    await expect(page.getByTestId("flow-east-to-west")).toContainText("east → west");

    await screenshotThemes(page, testInfo, "overview");
    await expectAccessible(page);

    // Keyboard: Tab from a node reaches the edge, and Enter follows it to the flow.
    await page.getByTestId("topology-node-east").focus();
    for (let i = 0; i < 12 && !(await edge.evaluate((el) => el === document.activeElement)); i += 1) {
      await page.keyboard.press("Tab");
    }
    await expect(edge).toBeFocused();

    // The phone layout: a taller graph box, everything in one column.
    await page.setViewportSize({ width: 390, height: 844 });
    await expect(topology).toBeVisible();
    await expect(page.getByTestId("topology-node-east")).toBeInViewport();
    await page.evaluate(() => {
      document.documentElement.dataset.theme = "light";
      window.scrollTo(0, 0);
    });
    for (const [name, fullPage] of [
      ["overview-phone", false],
      ["overview-phone-full", true],
    ] as const) {
      const file = testInfo.outputPath(`${name}.png`);
      await page.screenshot({ path: file, fullPage });
      await testInfo.attach(name, { path: file, contentType: "image/png" });
    }
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width, "no sideways scrolling on a phone").toBeLessThanOrEqual(390);

    await page.setViewportSize({ width: 1280, height: 800 });
    await edge.focus();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/\/flows\/[0-9a-f-]{36}$/);
  } finally {
    await request.delete(`/api/v1/clusters/${offline}`, { headers: admin });
  }
});

test("admins manage users and tokens and find it all in the audit log", async ({
  page,
  request,
}, testInfo) => {
  // Many steps, and axe over a table of 100+ rows in two themes.
  test.setTimeout(180_000);
  // Over a page of audit entries (refused updates of users that do not exist), so "Load older" has work.
  for (let batch = 0; batch < 6; batch += 1) {
    await Promise.all(
      Array.from({ length: 20 }, () =>
        request.patch(`/api/v1/users/${randomUUID()}`, { headers: admin, data: { disabled: false } }),
      ),
    );
  }
  const viewer = { email: `ui-viewer-${stamp}@e2e.mirrordeck.test`, password: "viewer-password-123" };
  const tokenName = `ui token ${stamp}`;

  await signIn(page);
  await page.goto("/admin");
  await expect(page.getByRole("heading", { name: "Users & tokens" })).toBeVisible();
  await expect(page.getByTestId("users-table")).toBeVisible();

  // Add a viewer; a short password is refused beside its field first.
  await page.getByTestId("new-user-email").fill(viewer.email);
  await page.getByTestId("new-user-password").fill("too-short");
  await page.getByRole("button", { name: "Add user" }).click();
  await expect(page.getByText("Passwords are at least 12 characters.")).toBeVisible();
  await expect(page.getByTestId("new-user-password")).toHaveAttribute("aria-invalid", "true");
  await page.getByTestId("new-user-password").fill(viewer.password);
  await page.getByTestId("new-user-role").selectOption("VIEWER");
  await page.getByRole("button", { name: "Add user" }).click();
  await expect(page.getByTestId("users-status")).toHaveText(`Added ${viewer.email} as viewer.`);
  const row = page.getByTestId(`user-${viewer.email}`);
  await expect(row.getByTestId("user-role")).toHaveValue("VIEWER");
  await expect(row).toContainText("never");

  // Promote them to operator.
  await row.getByRole("combobox", { name: `Role of ${viewer.email}` }).selectOption("OPERATOR");
  await expect(page.getByTestId("users-status")).toHaveText(`${viewer.email} is now operator.`);

  // Demoting yourself is refused, in the API's words, and the select goes back.
  const self = page.getByTestId(`user-${e2eAdmin.email}`);
  await expect(self).toContainText("(you)");
  await self.getByTestId("user-role").selectOption("VIEWER");
  await expect(self.getByTestId("user-error")).toHaveText(
    "You cannot disable or demote yourself; ask another admin.",
  );
  await expect(self.getByTestId("user-role")).toHaveValue("ADMIN");

  // A token: its value once, copyable, with the warning.
  await page.getByTestId("new-token-name").fill(tokenName);
  await page.getByTestId("new-token-role").selectOption("OPERATOR");
  await page.getByTestId("new-token-days").fill("30");
  await page.getByRole("button", { name: "Create token" }).click();
  const value = page.getByTestId("new-token-value");
  await expect(value).toHaveValue(/^mdk_[A-Za-z0-9_-]{43}$/);
  await expect(value).toHaveJSProperty("readOnly", true);
  await expect(page.getByTestId("new-token")).toContainText("will not be shown again");
  await expect(page.getByTestId("new-token").getByRole("button", { name: "Copy" })).toBeVisible();
  const secret = await value.inputValue();
  // The once-only value and the refused self-demotion, as they look (the token is revoked below).
  await screenshotThemes(page, testInfo, "admin-new-token");
  const tokenRow = page.getByTestId(`token-${tokenName}`);
  await expect(tokenRow.getByTestId("token-hint")).toHaveText(`${secret.slice(0, 8)}…`);
  await expect(tokenRow.getByTestId("token-status")).toHaveText("active");
  expect((await request.get("/api/v1/flows", { headers: bearer(secret) })).status()).toBe(200);

  // After a reload only the hint is left.
  await page.reload();
  await expect(tokenRow.getByTestId("token-hint")).toHaveText(`${secret.slice(0, 8)}…`);
  await expect(page.getByTestId("new-token")).toHaveCount(0);
  expect(await page.content()).not.toContain(secret);

  // Revoke asks first; Cancel keeps it.
  await tokenRow.getByRole("button", { name: `Revoke ${tokenName}` }).click();
  await tokenRow.getByRole("button", { name: "Cancel" }).click();
  await expect(tokenRow.getByTestId("token-status")).toHaveText("active");
  await tokenRow.getByRole("button", { name: `Revoke ${tokenName}` }).click();
  await expect(tokenRow.getByRole("button", { name: "Yes, revoke" })).toBeFocused();
  await tokenRow.getByRole("button", { name: "Yes, revoke" }).click();
  await expect(tokenRow.getByTestId("token-status")).toHaveText("revoked");
  await expect(tokenRow.getByRole("button", { name: `Revoke ${tokenName}` })).toHaveCount(0);
  expect((await request.get("/api/v1/flows", { headers: bearer(secret) })).status()).toBe(401);

  await screenshotThemes(page, testInfo, "admin");
  await expectAccessible(page);

  // The audit log, reached from the navigation.
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Audit log" }).click();
  await expect(page).toHaveURL(/\/audit$/);
  const table = page.getByTestId("audit-table");
  await expect(table).toBeVisible();
  const actor = `user:${e2eAdmin.email}`;
  const entry = (action: string, text: string) =>
    table.locator(`tr[data-action="${action}"]`).filter({ hasText: text }).filter({ hasText: actor });
  await expect(entry("users.create", viewer.email)).toHaveCount(1);
  await expect(entry("tokens.create", tokenName)).toHaveCount(1);
  await expect(entry("tokens.revoke", actor).first()).toBeVisible();
  await expect(entry("users.update", "CONFLICT").first()).toBeVisible();
  // Newest first: the revocation is above the creation.
  const actions = await table
    .locator("tr[data-testid=audit-row]")
    .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-action")));
  expect(actions.indexOf("tokens.revoke")).toBeLessThan(actions.indexOf("tokens.create"));

  // A page holds 100 entries; older ones on demand.
  await expect(page.getByTestId("audit-count")).toHaveText("100 entries loaded");
  await screenshotThemes(page, testInfo, "audit");
  await expectAccessible(page);
  await page.getByRole("button", { name: "Load older" }).click();
  await expect(page.getByTestId("audit-count")).not.toHaveText("100 entries loaded");
  const loaded = Number((await page.getByTestId("audit-count").textContent())?.split(" ")[0]);
  expect(loaded).toBeGreaterThan(100);

  // The filter narrows what is loaded.
  await page.getByRole("searchbox", { name: "Filter loaded entries" }).fill("tokens.");
  await expect(page.getByTestId("audit-count")).toContainText("loaded entries match");
  const filtered = await table
    .locator("tr[data-testid=audit-row]")
    .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-action")));
  expect(filtered.length).toBeGreaterThanOrEqual(2);
  expect(filtered.every((a) => a?.startsWith("tokens."))).toBe(true);
  await expect(entry("tokens.create", tokenName)).toHaveCount(1);
  await expect(table.locator('tr[data-action="users.create"]')).toHaveCount(0);
  await screenshotThemes(page, testInfo, "audit-filtered");
});

test("a viewer sees no admin links and is refused the admin pages in words", async ({
  page,
  request,
}, testInfo) => {
  const viewer = { email: `ui-viewer-only-${stamp}@e2e.mirrordeck.test`, password: "viewer-password-456" };
  const created = await request.post("/api/v1/users", {
    headers: admin,
    data: { ...viewer, role: "VIEWER" },
  });
  expect(created.status(), await created.text()).toBe(201);

  await signIn(page, viewer);
  const me = page.waitForResponse((r) => r.url().endsWith("/api/v1/auth/me"));
  await page.goto("/");
  expect(((await (await me).json()) as { role: string }).role).toBe("VIEWER");
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link", { name: "Flows" })).toBeVisible();
  await expect(page.getByTestId("topology")).toBeVisible();
  await expect(nav.getByRole("link", { name: "Audit log" })).toHaveCount(0);
  await expect(nav.getByRole("link", { name: "Users & tokens" })).toHaveCount(0);

  await page.goto("/audit");
  const refusal = page.getByTestId("refusal");
  await expect(refusal).toContainText("Only admins can see the audit log.");
  await expect(refusal).toContainText("This needs the admin role or above; you are viewer.");
  await expect(page.getByTestId("audit-table")).toHaveCount(0);
  await screenshotThemes(page, testInfo, "audit-refused");
  await expectAccessible(page);

  await page.goto("/admin");
  await expect(page.getByTestId("refusal")).toContainText("Only admins can manage users and API tokens.");
  await expect(page.getByTestId("users-table")).toHaveCount(0);
});

test("the topology stays readable with ten clusters and flows in both directions", async ({
  page,
}, testInfo) => {
  // A larger fleet than the e2e stack has, served in place of the two lists.
  const aliases = [
    "east",
    "west",
    "north",
    "south",
    "eu-central",
    "us-east-1",
    "ap-south",
    "dr",
    "lab",
    "edge",
  ];
  const clusters = aliases.map((alias, i) => ({
    id: randomUUID(),
    alias,
    bootstrapServers: `kafka-${alias}:9092`,
    securityProtocol: "PLAINTEXT",
    sasl: null,
    tls: null,
    clientOverrides: {},
    createdAt: new Date().toISOString(),
    health:
      alias === "lab"
        ? {
            reachable: false,
            brokerCount: null,
            controllerId: null,
            clusterId: null,
            topicCount: null,
            kafkaVersion: null,
            error: { code: "CLUSTER_UNREACHABLE", message: "Connection refused by kafka-lab:9092." },
          }
        : {
            reachable: true,
            brokerCount: 3 + (i % 3),
            controllerId: 1,
            clusterId: `id-${alias}`,
            topicCount: 40,
            kafkaVersion: "4.1 or newer",
            error: null,
          },
  }));
  const live = (recordsPerSec: number, lagRecords: number | null, maxLagSeconds: number | null) => ({
    recordsPerSec,
    bytesPerSec: recordsPerSec * 900,
    lagRecords,
    maxLagSeconds,
    latencyP99Ms: 40,
    partitions: 12,
    workers: recordsPerSec > 0 ? 2 : 0,
    updatedAt: new Date().toISOString(),
    topicsDrifting: 0,
  });
  const flow = (
    source: string,
    target: string,
    state: string,
    figures: ReturnType<typeof live>,
    stateReason: string | null = null,
  ) => ({
    id: randomUUID(),
    name: `${source}-to-${target}`,
    sourceAlias: source,
    targetAlias: target,
    enabled: state !== "CREATED",
    topicsInclude: "orders.*",
    topicsExclude: "",
    state,
    stateReason,
    version: 1,
    live: figures,
    heartbeat: { ageMs: 2_000, stale: false },
  });
  const flows = [
    flow("east", "west", "RUNNING", live(1_250, 300, 2)),
    flow("west", "east", "RUNNING", live(800, 0, 0)),
    flow("north", "south", "CATCHING_UP", live(5_400, 250_000, 140)),
    flow(
      "eu-central",
      "us-east-1",
      "ERROR",
      live(0, null, null),
      "Topic orders is not authorised on us-east-1.",
    ),
    flow("ap-south", "dr", "PAUSED", live(0, null, null)),
    flow("east", "dr", "RUNNING", live(300, 10, 1)),
    flow("edge", "east", "CREATED", live(0, null, null)),
  ];
  await page.route("**/api/v1/clusters", (route) => route.fulfill({ json: { items: clusters } }));
  await page.route("**/api/v1/flows", (route) => route.fulfill({ json: { items: flows } }));

  await signIn(page);
  await page.goto("/");
  await expect(page.getByTestId("topology")).toBeVisible();
  for (const alias of aliases) await expect(page.getByTestId(`topology-node-${alias}`)).toBeVisible();
  await expect(page.locator('[data-testid^="topology-edge-"][href]')).toHaveCount(flows.length);

  // No two nodes overlap.
  const expectNodesApart = async () => {
    const boxes = await Promise.all(aliases.map((a) => page.getByTestId(`topology-node-${a}`).boundingBox()));
    for (const [i, a] of boxes.entries()) {
      for (const b of boxes.slice(i + 1)) {
        if (a === null || b === null) throw new Error("a node has no box");
        const apart =
          a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
        expect(apart, `${JSON.stringify(a)} overlaps ${JSON.stringify(b)}`).toBe(true);
      }
    }
  };
  await expectNodesApart();

  // Both directions between east and west, on separate curves.
  const there = page.getByTestId("topology-edge-east-to-west");
  const back = page.getByTestId("topology-edge-west-to-east");
  const pathOf = (edge: typeof there) => edge.locator("path.edge-path").getAttribute("d");
  expect(await pathOf(there)).not.toEqual(await pathOf(back));
  await expect(there).toHaveAttribute("data-health", "ok");
  await expect(there.getByTestId("topology-edge-figures")).toHaveText("1.3k rec/s · 2 s behind");
  await expect(page.getByTestId("topology-edge-eu-central-to-us-east-1")).toHaveAttribute(
    "data-health",
    "bad",
  );
  await expect(page.getByTestId("topology-edge-north-to-south")).toHaveAttribute("data-health", "bad");
  await expect(page.getByTestId("topology-edge-ap-south-to-dr")).toHaveAttribute("data-health", "muted");

  // Alerts: the failed flow with its reason, the lagging one, the silent cluster.
  const alerts = page.getByTestId("alerts");
  await expect(alerts.getByTestId("alert-count")).toHaveText("3");
  await expect(alerts).toContainText(
    "eu-central-to-us-east-1 failed: Topic orders is not authorised on us-east-1.",
  );
  await expect(alerts).toContainText("north-to-south is 2 min behind (250.0k records)");
  await expect(alerts).toContainText("lab is unreachable: Connection refused by kafka-lab:9092.");

  // Totals over the fleet.
  await expect(page.getByTestId("totals-throughput")).toHaveText("7.8k rec/s");
  await expect(page.getByTestId("totals-worst-lag")).toHaveText("2 min behind · 250.0k records");
  await expect(page.getByTestId("fleet-totals")).toContainText("on north-to-south");
  await expect(page.getByTestId("totals-flows")).toHaveText("4 / 7");
  await expect(page.getByTestId("totals-clusters")).toHaveText("9 / 10");

  await screenshotThemes(page, testInfo, "overview-ten-clusters");
  await expectAccessible(page);
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(page.getByTestId("topology-node-edge")).toBeVisible();
  await expect
    .poll(async () => (await page.getByTestId("topology").boundingBox())?.width ?? 0)
    .toBeLessThan(390);
  await expectNodesApart();
  await page.getByTestId("topology").scrollIntoViewIfNeeded();
  const phone = testInfo.outputPath("overview-ten-clusters-phone.png");
  await page.screenshot({ path: phone });
  await testInfo.attach("overview-ten-clusters-phone", { path: phone, contentType: "image/png" });
});
