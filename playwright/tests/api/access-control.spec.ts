import { listRoutes, roleAtLeast } from "@mirrordeck/contracts";
import { expect, test } from "@playwright/test";
import { e2eAdmin } from "../../e2e-env.ts";
import { admin, bearer, callRoute, expectError } from "../../support/api.ts";
import { tokenFor } from "../../support/auth.ts";

const routes = listRoutes();
const guarded = routes.filter((r) => r.access !== "public");

test("the route table is enumerated, not hand-listed", () => {
  expect(guarded.length).toBeGreaterThan(30);
});

test("every guarded route refuses a request without credentials, or with a wrong token", async ({
  request,
}) => {
  for (const route of guarded) {
    await expectError(await callRoute(request, route), 401, "UNAUTHENTICATED");
    await expectError(
      await callRoute(request, route, bearer("mdk_not-a-real-token")),
      401,
      "UNAUTHENTICATED",
    );
  }
});

test("public routes answer without credentials", async ({ request }) => {
  expect((await request.get("/api/v1/health")).status()).toBe(200);
  // Ready or not depends on the workers; it never asks for credentials.
  expect([200, 503]).toContain((await request.get("/api/v1/ready")).status());
});

test("each role is allowed exactly what it should be", async ({ request }) => {
  test.setTimeout(120_000);
  for (const role of ["VIEWER", "OPERATOR", "ADMIN"] as const) {
    const headers = bearer(await tokenFor(request, role));
    for (const route of guarded) {
      const response = await callRoute(request, route, headers);
      if (roleAtLeast(role, route.access as "VIEWER")) {
        // Allowed: whatever the outcome on a cluster or flow that does not exist, it is not an auth refusal.
        expect([401, 403], `${role} ${route.method} ${route.path}: ${await response.text()}`).not.toContain(
          response.status(),
        );
      } else {
        await expectError(response, 403, "FORBIDDEN");
      }
    }
  }
});

test("a revoked token stops working at once", async ({ request }) => {
  const created = await request.post("/api/v1/tokens", {
    headers: admin,
    data: { name: "short-lived", role: "VIEWER" },
  });
  const { id, token } = (await created.json()) as { id: string; token: string };
  expect((await request.get("/api/v1/flows", { headers: bearer(token) })).status()).toBe(200);
  expect((await request.delete(`/api/v1/tokens/${id}`, { headers: admin })).status()).toBe(204);
  await expectError(await request.get("/api/v1/flows", { headers: bearer(token) }), 401, "UNAUTHENTICATED");
  // The list shows it revoked, and never a token value.
  const list = await (await request.get("/api/v1/tokens", { headers: admin })).text();
  expect(list).not.toContain(token);
  expect(JSON.parse(list).items.find((t: { id: string }) => t.id === id).revoked).toBe(true);
});

test("a browser session: HttpOnly cookie, CSRF token required on writes, logout ends it", async ({
  playwright,
  baseURL,
}) => {
  const browserLike = await playwright.request.newContext({ baseURL });
  const login = await browserLike.post("/api/v1/auth/login", { data: e2eAdmin });
  expect(login.status()).toBe(200);
  const cookies = login
    .headersArray()
    .filter((h) => h.name.toLowerCase() === "set-cookie")
    .map((h) => h.value);
  const session = cookies.find((c) => c.startsWith("mirrordeck_session="));
  expect(session).toMatch(/HttpOnly/);
  expect(session).toMatch(/SameSite=Lax/);
  // Plain HTTP here: Secure is only set behind TLS.
  expect(session).not.toMatch(/Secure/);
  const { csrfToken } = (await login.json()) as { csrfToken: string };

  const me = await browserLike.get("/api/v1/auth/me");
  expect(((await me.json()) as { role: string }).role).toBe("ADMIN");

  const write = { data: { name: "csrf-check", role: "VIEWER" } };
  await expectError(await browserLike.post("/api/v1/tokens", write), 403, "CSRF_FAILED");
  await expectError(
    await browserLike.post("/api/v1/tokens", { ...write, headers: { "x-csrf-token": "wrong" } }),
    403,
    "CSRF_FAILED",
  );
  const allowed = await browserLike.post("/api/v1/tokens", {
    ...write,
    headers: { "x-csrf-token": csrfToken },
  });
  expect(allowed.status()).toBe(201);

  expect(
    (await browserLike.post("/api/v1/auth/logout", { headers: { "x-csrf-token": csrfToken } })).status(),
  ).toBe(204);
  await expectError(await browserLike.get("/api/v1/auth/me"), 401, "UNAUTHENTICATED");
  await browserLike.dispose();
});

test("sign-in is rate limited per account and per address, and a wrong password says nothing more", async ({
  request,
}) => {
  const email = `nobody-${Date.now()}@e2e.mirrordeck.test`;
  const octet = () => Math.floor(Math.random() * 250);
  const headers = { "x-forwarded-for": `10.${octet()}.${octet()}.${octet()}` };
  for (let i = 0; i < 10; i++) {
    const failed = await request.post("/api/v1/auth/login", {
      headers,
      data: { email, password: "wrong-password" },
    });
    await expectError(failed, 401, "UNAUTHENTICATED");
  }
  const limited = await request.post("/api/v1/auth/login", {
    headers,
    data: { email, password: "wrong-password" },
  });
  await expectError(limited, 429, "RATE_LIMITED");
  expect(Number(limited.headers()["retry-after"])).toBeGreaterThan(0);
  // The same address is now refused even for a real account…
  await expectError(
    await request.post("/api/v1/auth/login", { headers, data: e2eAdmin }),
    429,
    "RATE_LIMITED",
  );
  // …while another address still gets in.
  expect(
    (
      await request.post("/api/v1/auth/login", {
        headers: { "x-forwarded-for": "198.51.100.7" },
        data: e2eAdmin,
      })
    ).status(),
  ).toBe(200);
});

test("a disabled user cannot sign in; users are managed by admins only", async ({ request }) => {
  const email = `operator-${Date.now()}@e2e.mirrordeck.test`;
  const password = "operator-password-1";
  const created = await request.post("/api/v1/users", {
    headers: admin,
    data: { email, password, role: "OPERATOR" },
  });
  expect(created.status()).toBe(201);
  const user = (await created.json()) as { id: string; role: string };
  expect(JSON.stringify(user)).not.toContain(password);
  expect((await request.post("/api/v1/auth/login", { data: { email, password } })).status()).toBe(200);
  expect(
    (await request.patch(`/api/v1/users/${user.id}`, { headers: admin, data: { disabled: true } })).status(),
  ).toBe(200);
  await expectError(
    await request.post("/api/v1/auth/login", { data: { email, password } }),
    401,
    "UNAUTHENTICATED",
  );
});

test("pages and API responses carry the security headers", async ({ request }) => {
  for (const path of ["/login", "/api/v1/health"]) {
    const headers = (await request.get(path)).headers();
    expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(headers["content-security-policy"]).not.toContain("unsafe-eval");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["x-frame-options"]).toBe("DENY");
  }
});

test("a page without a session goes to the sign-in page", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/login\?next=%2F$/);
  await page.getByLabel("E-mail").fill(e2eAdmin.email);
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.locator("form").getByRole("alert")).toHaveText("Wrong e-mail or password.");
  await page.getByLabel("Password").fill(e2eAdmin.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
});
