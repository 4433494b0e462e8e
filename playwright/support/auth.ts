import type { APIRequestContext, Page } from "@playwright/test";
import { e2eAdmin, e2eBootstrapToken } from "../e2e-env.ts";

export const bootstrapAuth = { authorization: `Bearer ${e2eBootstrapToken}` };

/** Signs the page's browser context in as the e2e admin (the session cookie lands in the context). */
export async function signIn(page: Page, account = e2eAdmin): Promise<void> {
  const response = await page.request.post("/api/v1/auth/login", { data: account });
  if (!response.ok()) throw new Error(`sign-in failed: ${response.status()} ${await response.text()}`);
}

/** A fresh API token with `role`, created with the bootstrap token. */
export async function tokenFor(
  request: APIRequestContext,
  role: "VIEWER" | "OPERATOR" | "ADMIN",
): Promise<string> {
  const response = await request.post("/api/v1/tokens", {
    headers: bootstrapAuth,
    data: { name: `e2e ${role.toLowerCase()} ${Date.now()}`, role },
  });
  if (response.status() !== 201)
    throw new Error(`token creation failed: ${response.status()} ${await response.text()}`);
  return ((await response.json()) as { token: string }).token;
}
