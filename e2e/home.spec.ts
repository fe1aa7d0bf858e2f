import { expect, test } from "@playwright/test";

test("the home page explains what Holdfast does", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Escrow for marketplaces");
  const steps = page.getByRole("list", { name: "How an escrow works" }).getByRole("listitem");
  await expect(steps).toHaveCount(4);
});

test("pages refuse to be framed, and a malformed address is a 400 page, not a server error", async ({ request }) => {
  const home = await request.get("/");
  expect(home.status()).toBe(200);
  expect(home.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(home.headers()["x-frame-options"]).toBe("DENY");
  expect(home.headers()["x-content-type-options"]).toBe("nosniff");
  const api = await request.get("/api/agent/v1/openapi.json");
  expect(api.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");

  for (const path of ["/c/%E0%A4%A", "/agents/%", "/api/agent/v1/escrows/%E0%A4%A"]) {
    const response = await request.get(path);
    expect(response.status(), path).toBe(400);
  }
});
