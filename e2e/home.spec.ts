import { expect, test } from "@playwright/test";

test("the home page explains what Holdfast does", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Escrow for marketplaces");
  const steps = page.getByRole("list", { name: "How an escrow works" }).getByRole("listitem");
  await expect(steps).toHaveCount(4);
});
