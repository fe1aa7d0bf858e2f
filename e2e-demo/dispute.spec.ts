// Disputes with the live demo agent (Data Scout), answered by the rule it
// states with every offer: a delivery reported missing, empty, blank or
// corrupt is refunded at once; anything else gets a written defence naming
// what was delivered and an offer of half back.
import { expect, test, type Locator, type Page } from "@playwright/test";
import { acceptAndPay, openChatWith, saveScreenshot, signInAsDemoCustomer } from "../e2e/fixtures/customer";
import { AGENT_TIMEOUT, agentMessages, askForOffer, awaitNewAgentMessage, dollars, walletBalance, type Offer } from "./fixtures";

/** Buys a market snapshot report from Data Scout and waits for the agent's own delivery of report.json. */
async function buyReport(page: Page, request: string): Promise<{ offer: Offer; delivery: Locator }> {
  await openChatWith(page, "Data Scout", "report");
  const offer = await askForOffer(page, request, "Market snapshot report");
  const delivery = await awaitNewAgentMessage(page, "Here is your market snapshot report (report.json).", () =>
    acceptAndPay(offer.card, "$15.00"),
  );
  await expect(offer.status.getByTestId("escrow-status-label")).toHaveText("Delivered — your review", { timeout: AGENT_TIMEOUT });
  return { offer, delivery };
}

async function reportProblem(page: Page, offer: Offer, reason: string) {
  await offer.status.getByRole("button", { name: "Report a problem" }).click();
  await offer.status.getByLabel(/What is wrong with the delivery/).fill(reason);
  await offer.status.getByRole("button", { name: "Report problem" }).click();
  await expect(
    page.locator('[data-role="system"]').filter({ hasText: "You reported a problem with the delivery" }).filter({ hasText: offer.reference }),
  ).toBeVisible();
}

test.beforeEach(async ({ page }) => {
  await signInAsDemoCustomer(page);
});

test("a dispute about a real delivery: the agent defends it in writing and offers half back; the split settles it", async ({ page }) => {
  const before = await walletBalance(page);
  const request = "I need a market snapshot report on artisan bakeries in Lisbon.";
  const { offer, delivery } = await buyReport(page, request);
  const report = delivery.getByRole("group", { name: "Data: report.json" });
  // Made from the brief the offer was written from, not from the customer's sentence pasted in.
  await expect(report).toContainText("Snapshot of artisan bakeries in Lisbon");
  await expect(report).toContainText("Northwind");

  // Not "missing", "empty" or "corrupt": the rule's other branch.
  await reportProblem(page, offer, "The summary is far too thin: I expected prices and opening hours.");
  await expect(offer.status.getByTestId("escrow-status-label")).toHaveText("Negotiating", { timeout: AGENT_TIMEOUT });
  // The agent's written answer quotes the customer's reason and names the file the platform recorded, with its size and hash.
  const defence = offer.status.getByTestId("agent-defence");
  await expect(defence).toContainText("Data Scout's answer");
  await expect(defence).toContainText('You said: "The summary is far too thin: I expected prices and opening hours."');
  await expect(defence).toContainText(/I delivered report\.json \(application\/json, \d+ bytes, sha256 [0-9a-f]{12}…\), made from your brief \(Market snapshot report for artisan bakeries in Lisbon\)\./);
  await expect(defence).toContainText("I'm happy to meet you halfway: I've proposed refunding half.");
  await expect(offer.status.getByTestId("open-settlement")).toHaveText("Data Scout proposes: $7.50 back to you, $7.50 to Data Scout.");
  await expect(
    page.locator('[data-role="system"]').filter({ hasText: "Data Scout responded to the dispute" }).filter({ hasText: offer.reference }),
  ).toBeVisible();
  await expect(offer.status.getByTestId("escrow-deadline")).toContainText(/Negotiation ends in (8|9|10) min/);
  await saveScreenshot(page, "demo-agent-dispute");

  await offer.status.getByRole("button", { name: "Accept: $7.50 back to you" }).click();
  await offer.status.getByRole("button", { name: "Yes, settle" }).click();
  await expect(offer.card.getByTestId("offer-state")).toHaveText("Settled");
  await expect(agentMessages(page, `Order ${offer.reference} is settled (split).`)).toBeVisible({ timeout: AGENT_TIMEOUT });
  await expect(
    page.locator('[data-role="system"]').filter({ hasText: "$7.50 was refunded to you and $7.50 was released to Data Scout." }).filter({ hasText: offer.reference }),
  ).toBeVisible();

  expect(await walletBalance(page)).toBe(before - 7_50);
  await expect(page.getByTestId("balance-USD")).toContainText(dollars(before - 7_50));
});

test("a delivery reported corrupt: the agent refunds in full at once, by its rule", async ({ page }) => {
  const before = await walletBalance(page);
  const { offer } = await buyReport(page, "Could you do a market snapshot report on specialty coffee in Porto?");
  const chat = page.url();
  expect(await walletBalance(page)).toBe(before - 15_00);
  await page.goto(chat);

  await reportProblem(page, offer, "The report file is corrupt and will not open.");
  await expect(offer.card.getByTestId("offer-state")).toHaveText("Refunded", { timeout: AGENT_TIMEOUT });
  await expect(
    agentMessages(page, 'I\'m sorry — you said "The report file is corrupt and will not open.", so I\'ve refunded you in full.'),
  ).toBeVisible({ timeout: AGENT_TIMEOUT });
  await expect(
    page.locator('[data-role="system"]').filter({ hasText: "Data Scout agreed to a refund. $15.00 was refunded to you." }).filter({ hasText: offer.reference }),
  ).toBeVisible();
  // Refunded is final: no status bar, nothing left to do.
  await expect(offer.status).toHaveCount(0);

  expect(await walletBalance(page)).toBe(before);
});
