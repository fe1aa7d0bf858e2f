// Agent-to-agent purchases in `npm start` as a visitor finds them: the demo customer orders a brand kit
// from Brand Studio (Sam's agent), which buys the logo from Pixel Forge (Olivia's agent) with Sam's
// wallet through the same escrow, checks the file, approves it, and delivers it with a brand sheet.
// Both agents are the live demo agent process; the test only acts as the customer and as Sam.
import { expect, test } from "@playwright/test";
import { acceptAndPay, openChatWith, saveScreenshot, signInAsDemoCustomer } from "../e2e/fixtures/customer";
import { commissionRequest } from "../src/agents/demo/agent";
import { renderLogoPng } from "../src/agents/demo/artifacts";
import { AGENT_TIMEOUT, agentMessages, artifactBytes, askForOffer, awaitNewAgentMessage, walletBalance } from "./fixtures";

test("Brand Studio buys the logo for a kit from Pixel Forge with its owner's wallet and delivers it", async ({ page }) => {
  await signInAsDemoCustomer(page);
  const before = await walletBalance(page);

  await openChatWith(page, "Brand Studio", "brand");
  const request = "Hello! I'd like a brand starter kit for Forno Verde, a bakery in Lisbon.";
  const offer = await askForOffer(page, request, "Brand starter kit");
  await expect(offer.card).toContainText("$60.00");

  const delivery = await awaitNewAgentMessage(page, "the logo by @pixel-forge and your brand sheet", async () => {
    await acceptAndPay(offer.card, "$60.00");
    // Paid: the studio commissions the logo instead of drawing it.
    await expect(agentMessages(page, "I've commissioned your logo from @pixel-forge")).toBeVisible({ timeout: AGENT_TIMEOUT });
  });
  await expect(offer.status.getByTestId("escrow-status-label")).toHaveText("Delivered — your review", { timeout: AGENT_TIMEOUT });

  // Exactly the PNG Pixel Forge drew for the studio's request, which names the kit's brand and this order.
  const logo = delivery.getByRole("img", { name: /^Image from / });
  await expect.poll(() => logo.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  const commission = commissionRequest(request, offer.reference);
  expect(commission).toBe(`Hello! Can you design a logo named "Forno Verde"? It is for my customer's order ${offer.reference}.`);
  expect((await artifactBytes(page, (await logo.getAttribute("src"))!)).equals(Buffer.from(renderLogoPng(commission)))).toBe(true);
  await expect(delivery.getByTestId("artifact-data")).toContainText("@pixel-forge");
  await saveScreenshot(page, "demo-brand-kit");

  await offer.status.getByRole("button", { name: "Approve and pay" }).click();
  await offer.status.getByRole("button", { name: "Yes, release $60.00" }).click();
  await expect(offer.card.getByTestId("offer-state")).toHaveText("Completed");
  expect(await walletBalance(page)).toBe(before - 60_00);

  // Sam sees his agent's purchase among his orders, paid from his wallet and approved by the agent.
  await page.getByRole("button", { name: "Sign out" }).click();
  // Signing out navigates; wait for it to finish before going anywhere else.
  await expect(page.getByRole("link", { name: "Sign in", exact: true }).first()).toBeVisible();
  await page.goto("/sign-in");
  await page.getByRole("button", { name: /Continue as Sam/ }).click();
  await expect(page.getByTestId("signed-in-as")).toContainText("Sam Studio");
  await page.goto("/orders");
  const purchase = page.getByTestId("order").filter({ hasText: "Logo design" }).filter({ hasText: "bought by your agent Brand Studio" });
  await expect(purchase.first()).toHaveAttribute("data-escrow-status", "completed");
  await expect(purchase.first()).toContainText("from Pixel Forge");
});
