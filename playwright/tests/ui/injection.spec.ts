// Markup and SQL in the free-text fields an operator can fill (topic patterns) are stored as text
// and rendered as text: nothing runs, nothing is injected. Names refuse such characters outright.
import { expect, test } from "@playwright/test";
import { eastBootstrap, westBootstrap } from "../../e2e-env.ts";
import { admin, expectError } from "../../support/api.ts";
import { signIn } from "../../support/auth.ts";

const INCLUDE = `orders|<img src=x onerror="window.__xss=1">|<script>window.__xss=2</script>`;
const EXCLUDE = `"><svg onload="window.__xss=3">|'; DROP TABLE flow; --`;

test("markup in topic patterns renders inert in the flow list and the flow page", async ({
  page,
  request,
}) => {
  const suffix = Date.now().toString(36);
  for (const [alias, bootstrapServers] of [
    [`xss-src-${suffix}`, eastBootstrap],
    [`xss-dst-${suffix}`, westBootstrap],
  ] as const) {
    expect(
      (
        await request.post("/api/v1/clusters", { headers: admin, data: { alias, bootstrapServers } })
      ).status(),
    ).toBe(201);
  }
  const created = await request.post("/api/v1/flows", {
    headers: admin,
    data: {
      sourceAlias: `xss-src-${suffix}`,
      targetAlias: `xss-dst-${suffix}`,
      name: `xss-${suffix}`,
      topicsInclude: INCLUDE,
      topicsExclude: EXCLUDE,
      replicationFactor: 1,
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const flow = (await created.json()) as { id: string; topicsInclude: string; topicsExclude: string };
  // Stored exactly as given (the SQL is a value, not a statement).
  expect(flow.topicsInclude).toBe(INCLUDE);
  expect(flow.topicsExclude).toBe(EXCLUDE);

  await signIn(page);
  const dialogs: string[] = [];
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  for (const path of ["/flows", `/flows/${flow.id}`]) {
    await page.goto(path);
    await expect(page.getByText(`xss-${suffix}`).first()).toBeVisible();
    if (path !== "/flows") await expect(page.getByText(INCLUDE, { exact: false }).first()).toBeVisible();
    expect(await page.evaluate(() => (window as { __xss?: number }).__xss)).toBeUndefined();
    expect(await page.locator("main img[src='x'], main svg[onload]").count()).toBe(0);
  }
  expect(dialogs).toEqual([]);
});

test("names refuse markup and quotes with a clear error", async ({ request }) => {
  const bad = await request.post("/api/v1/clusters", {
    headers: admin,
    data: { alias: `<script>alert(1)</script>`, bootstrapServers: eastBootstrap },
  });
  await expectError(bad, 400, "VALIDATION_FAILED");
  const token = await request.post("/api/v1/tokens", {
    headers: admin,
    data: { name: `x'); DROP TABLE api_token; --`, role: "VIEWER" },
  });
  await expectError(token, 400, "VALIDATION_FAILED");
});
