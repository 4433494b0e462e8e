import { expect, test } from "@playwright/test";
import { signIn } from "../support/auth.ts";

test("the overview lists both demo clusters with their broker count", async ({ page }, testInfo) => {
  await signIn(page);
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();

  for (const alias of ["east", "west"]) {
    const card = page.getByTestId(`cluster-${alias}`);
    await expect(card).toBeVisible();
    await expect(card.getByText("reachable", { exact: true })).toBeVisible();
    await expect(card.getByTestId("broker-count")).toHaveText("1");
  }
  await expect(page.getByTestId("flow-east-to-west")).toContainText("east → west");

  await page.screenshot({ path: testInfo.outputPath("overview.png"), fullPage: true });
});
