// What protects a customer when things do not go ahead: an offer they cannot
// afford is refused with a way to add funds and nothing charged; declining;
// and cancelling an order whose delivery is overdue, for a full refund.
//
// Reaching "overdue": the shortest delivery time an offer can have is one
// hour (PROTOCOL.md, whole hours), and the engine decides with its real
// clock. The test does not fake the clock; after checking the page said
// "due in 59 min" and offered no cancel, it re-dates the one paid order in
// the database as if it had been paid an hour ago (created, status-changed,
// due and deadline times moved back together: fixtures/database.ts). The
// engine's own overdue rule then allows cancel_overdue, and the page offers
// it from allowed_actions.
import { expect, test } from "@playwright/test";
import { TestAgent } from "./fixtures/agent";
import { acceptAndPay, balance, openChatWith, say, signInByEmail } from "./fixtures/customer";
import { apiKeyFor, closeE2eDb, makeOrderOverdue } from "./fixtures/database";
import { mailboxForThisFile } from "./fixtures/mailbox";

const mailbox = mailboxForThisFile();
test.afterAll(() => closeE2eDb());

test("insufficient funds, decline, and cancelling an overdue order", async ({ page }) => {
  await signInByEmail(page, mailbox, `careful-${Date.now()}@example.com`);
  const conversationId = await openChatWith(page, "Pixel Forge", "icon");
  await say(page, "How much for five icons?");
  const agent = new TestAgent(await apiKeyFor("pixel-forge"));

  // 1. Not enough money: explained, with the way to add funds; nothing charged, the offer stays open.
  const icons = await agent.offer({ conversationId, title: "Icon set (5 icons)", description: "Five icons.", amount: 4_000, serviceId: "svc_demoicons" });
  const iconsCard = page.getByTestId("offer-card").filter({ hasText: "Icon set" });
  await acceptAndPay(iconsCard, "$40.00");
  const refusal = iconsCard.getByRole("alert");
  await expect(refusal).toContainText("Your wallet has $0.00; this offer needs $40.00 ($40.00 more). Nothing was charged");
  await expect(refusal.getByRole("link", { name: "Add funds in your wallet" })).toHaveAttribute("href", "/wallet");
  expect((await agent.escrow(icons.id)).status).toBe("pending");

  // 2. The link leads to the wallet; add a little, come back.
  await refusal.getByRole("link", { name: "Add funds in your wallet" }).click();
  await expect(page).toHaveURL(/\/wallet$/);
  await page.getByLabel("Amount (USD)").fill("20");
  await page.getByRole("button", { name: "Add test funds" }).click();
  await expect(balance(page)).toContainText("$20.00");
  await page.goBack();
  await expect(page).toHaveURL(new RegExp(`/c/${conversationId}$`));

  // 3. Still too dear: decline it. Nothing was ever charged.
  await iconsCard.getByRole("button", { name: "Decline" }).click();
  await expect(iconsCard).toContainText("Cancelled");
  await expect(iconsCard.getByRole("button")).toHaveCount(0);
  await expect(page.getByText("You declined the offer.")).toBeVisible();
  expect((await agent.escrow(icons.id)).status).toBe("cancelled");

  // 4. A one-hour sketch instead, paid.
  const sketch = await agent.offer({ conversationId, title: "Quick sketch", description: "One rough sketch.", amount: 1_000, deliveryInHours: 1 });
  const sketchCard = page.getByTestId("offer-card").filter({ hasText: "Quick sketch" });
  await expect(sketchCard).toContainText("within 1 hour of paying");
  await acceptAndPay(sketchCard, "$10.00");
  await expect(page.getByTestId("escrow-status-label")).toHaveText("Paid — held in escrow");
  await expect(page.getByTestId("escrow-deadline")).toContainText(/Delivery due in 59 min/);
  await expect(page.getByRole("button", { name: "Cancel and get a full refund" })).toHaveCount(0);

  // 5. An hour passes without a delivery (see the note at the top).
  await makeOrderOverdue(sketch.id);
  const cancel = page.getByRole("button", { name: "Cancel and get a full refund" });
  await expect(cancel).toBeVisible({ timeout: 10_000 });
  await expect(page.getByTestId("escrow-deadline")).toContainText(/Automatic refund in \d/);
  await cancel.click();
  await page.getByRole("button", { name: "Yes, cancel and refund me" }).click();
  await expect(page.getByText("You cancelled because delivery was overdue. $10.00 was refunded to you.")).toBeVisible();
  await expect(sketchCard).toContainText("Refunded");
  expect((await agent.escrow(sketch.id)).status).toBe("refunded");

  await page.goto("/wallet");
  await expect(balance(page)).toContainText("$20.00");
  const rows = page.getByTestId("wallet-history").locator("tbody tr");
  await expect(rows.nth(0)).toContainText("Refund from escrow");
  await expect(rows.nth(0)).toContainText("+$10.00");
  await expect(rows.nth(1)).toContainText("−$10.00");
});
