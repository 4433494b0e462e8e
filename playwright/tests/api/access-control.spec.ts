import { listRoutes, roleAtLeast } from "@mirrordeck/contracts";
import { expect, test } from "@playwright/test";
import pg from "pg";
import { e2eAdmin, e2eDatabaseUrl } from "../../e2e-env.ts";
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

test("the authorization matrix: every route × expired token, revoked token, cross-origin cookie write", async ({
  request,
  playwright,
  baseURL,
}) => {
  test.setTimeout(180_000);
  // An admin token that has expired (its expiry moved into the past, as time would).
  const expiring = await request.post("/api/v1/tokens", {
    headers: admin,
    data: { name: `expired ${Date.now()}`, role: "ADMIN", expiresInDays: 1 },
  });
  const expired = (await expiring.json()) as { id: string; token: string };
  const db = new pg.Client({ connectionString: e2eDatabaseUrl });
  await db.connect();
  await db.query(`UPDATE "api_token" SET "expires_at" = now() - interval '1 minute' WHERE "id" = $1`, [
    expired.id,
  ]);
  await db.end();
  // An admin token, revoked.
  const revoked = (await (
    await request.post("/api/v1/tokens", {
      headers: admin,
      data: { name: `revoked ${Date.now()}`, role: "ADMIN" },
    })
  ).json()) as { id: string; token: string };
  expect((await request.delete(`/api/v1/tokens/${revoked.id}`, { headers: admin })).status()).toBe(204);
  // A signed-in admin browser, writing with its right CSRF token but from another site's page.
  const browser = await playwright.request.newContext({ baseURL });
  const login = await browser.post("/api/v1/auth/login", { data: e2eAdmin });
  const { csrfToken } = (await login.json()) as { csrfToken: string };

  const matrix: string[] = [];
  for (const route of guarded) {
    const row = [`${route.method} ${route.path}`];
    for (const [who, headers] of [
      ["expired", bearer(expired.token)],
      ["revoked", bearer(revoked.token)],
    ] as const) {
      await expectError(await callRoute(request, route, headers), 401, "UNAUTHENTICATED");
      row.push(`${who} 401`);
    }
    if (route.method !== "GET") {
      const crossSite = await callRoute(browser, route, {
        "x-csrf-token": csrfToken,
        origin: "https://evil.example",
      });
      await expectError(crossSite, 403, "CSRF_FAILED");
      row.push("cross-origin cookie write 403");
    }
    matrix.push(row.join(" · "));
  }
  // The same browser, from its own origin, still works: the refusals were about origin alone.
  const sameSite = await browser.post("/api/v1/tokens", {
    headers: { "x-csrf-token": csrfToken, origin: baseURL! },
    data: { name: "same-origin", role: "VIEWER" },
  });
  expect(sameSite.status()).toBe(201);
  await browser.dispose();
  expect(matrix).toHaveLength(guarded.length);
  console.log(`authorization matrix, ${matrix.length} routes:\n${matrix.join("\n")}`);
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
