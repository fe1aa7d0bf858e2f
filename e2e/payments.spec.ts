// Real money in the browser (issue 15), on a server with Stripe keys pointed at the local stand-in:
// the wallet offers card payments instead of test funds; "Pay by card" opens the (stand-in) hosted
// checkout, paying redirects back, the page says the payment is clearing or shows it credited, and the
// balance moves only through the signed webhook the stand-in delivers to the app.
import { expect, test } from "@playwright/test";
import { startFakeStripe, type FakeStripe } from "../src/test/fake-stripe";
import { TestAgent } from "./fixtures/agent";
import { acceptAndPay, balance, say, signInAsDemoCustomer, signInByEmail } from "./fixtures/customer";
import { closeE2eDb, createOtherOwnersAgent, creditWallet } from "./fixtures/database";
import { trpcMutation } from "./fixtures/roles";
import { mailboxForThisFile } from "./fixtures/mailbox";
import { STRIPE_APP_URL, StripeAppServer } from "./fixtures/stripe-server";

const mailbox = mailboxForThisFile();

const server = new StripeAppServer();
let fake: FakeStripe;

test.use({ baseURL: STRIPE_APP_URL });
test.beforeAll(async () => {
  fake = await startFakeStripe();
  fake.setWebhookEndpoint(`${STRIPE_APP_URL}/api/stripe/webhook`);
  await server.start(fake);
});
test.afterAll(async () => {
  await server.stop();
  await fake.close();
  await closeE2eDb();
});

function minorFrom(text: string): number {
  const match = /\$([\d,]+)\.(\d{2})/.exec(text);
  if (!match) throw new Error(`no dollar amount in ${text}`);
  return Number(match[1]!.replace(/,/g, "")) * 100 + Number(match[2]);
}

test("a customer adds funds by card through the hosted checkout; the balance moves on Stripe's webhook", async ({ page }) => {
  await signInAsDemoCustomer(page);
  await page.goto("/wallet");
  await expect(page.getByRole("button", { name: "Add test funds" })).toHaveCount(0);
  await expect(balance(page)).toContainText("$");
  const before = minorFrom(await balance(page).innerText());

  await page.getByLabel("Amount (USD)").first().fill("42.50");
  await page.getByRole("button", { name: "Pay by card" }).click();
  await page.waitForURL(new RegExp(`^${fake.url}/checkout/cs_test_`));
  await expect(page.getByRole("heading", { name: "Pay 42.50 USD" })).toBeVisible();
  await page.getByRole("button", { name: "Pay 42.50 USD" }).click();

  await page.waitForURL(/\/wallet\?payment=pay_/);
  await expect(page.getByTestId("card-payments")).toContainText("Added to your wallet");
  await expect(balance(page)).toHaveText(new RegExp(`\\$${((before + 4250) / 100).toLocaleString("en-US", { minimumFractionDigits: 2 })}`));
  expect(fake.deliveries.filter((d) => d.status === 200).map((d) => d.type)).toEqual(["payment_intent.succeeded", "checkout.session.completed"]);
  await expect(page.getByRole("heading", { name: "Return to my card" })).toBeVisible();
});

test("a customer whose wallet is short pays for an offer by card; the order starts only when Stripe's signed webhook arrives", async ({ page }) => {
  const email = `card-buyer-${Date.now()}@example.com`;
  await signInByEmail(page, mailbox, email);
  // An agent of its own: the shared demo agents' open-amount limits belong to the other specs.
  const { apiKey } = await createOtherOwnersAgent("fox-icons", "Fox Icons");
  const { conversationId } = await trpcMutation<{ conversationId: string }>(page, "chat.open", { agentHandle: "fox-icons" });
  await page.goto(`/c/${conversationId}`);
  await say(page, "Could you draw a fox icon? I will pay by card.");
  const agent = new TestAgent(apiKey);
  const offer = await agent.offer({ conversationId, title: "Fox icon", description: "One fox icon as a PNG.", amount: 1_800 });

  const card = page.getByTestId("offer-card");
  await expect(card).toContainText("Fox icon");
  await acceptAndPay(card, "$18.00");
  await expect(card).toContainText("Your wallet has $0.00; this offer needs $18.00");

  // Stripe's events wait until the test sends them: the page must not call it paid before.
  fake.holdHostedPayEvents(true);
  const heldFrom = fake.events.length;
  await card.getByRole("button", { name: "Accept & pay by card" }).click();
  await page.waitForURL(new RegExp(`^${fake.url}/checkout/cs_test_`));
  await page.getByRole("button", { name: "Pay 18.00 USD" }).click();
  await page.waitForURL(new RegExp(`/c/${conversationId}\\?payment=pay_`));

  const waiting = page.getByTestId("offer-card").getByTestId("payment-pending");
  await expect(waiting).toContainText("Waiting for your payment of $18.00 to clear; the order starts as soon as it does.");
  // Coming back from the checkout page is not paying: a few polls later, still an open offer, not funded.
  await page.waitForTimeout(3_000);
  await expect(waiting).toBeVisible();
  await expect(page.getByTestId("offer-card")).toHaveAttribute("data-escrow-status", "pending");
  expect((await agent.escrow(offer.id)).status).toBe("pending");

  const held = fake.events.slice(heldFrom);
  expect(held.map((e) => e.type)).toEqual(["payment_intent.succeeded", "checkout.session.completed"]);
  for (const event of held) expect(await fake.deliver(event)).toEqual([200]);
  fake.holdHostedPayEvents(false);

  await expect(page.getByTestId("payment-pending")).toHaveCount(0);
  await expect(page.getByTestId("escrow-status-label")).toHaveText("Paid — held in escrow");
  await expect(page.getByTestId("offer-card")).toHaveAttribute("data-escrow-status", "active");
  await agent.waitForEvent("escrow.funded", offer.id);
  expect((await agent.escrow(offer.id)).status).toBe("active");
});

test("an owner connects a payout account on Stripe's onboarding and withdraws part of the available balance", async ({ page }) => {
  fake.balance.available.set("usd", 10_000_000);
  await creditWallet("usr_demoowner", 5_000);
  await page.goto("/sign-in");
  await page.getByRole("button", { name: /Continue as Olivia/ }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
  await page.goto("/owner/earnings");
  const panel = page.getByTestId("payouts-panel");
  await expect(panel.getByTestId("payout-account-status")).toHaveText("Not connected");

  await panel.getByRole("button", { name: "Connect a payout account" }).click();
  await page.waitForURL(new RegExp(`^${fake.url}/connect/acct_`));
  await expect(page.getByRole("heading", { name: "Set up payouts" })).toBeVisible();
  await page.getByRole("button", { name: "Agree and submit" }).click();
  await page.waitForURL(/\/owner\/earnings/);
  await expect(panel.getByTestId("payout-account-status")).toHaveText("Ready");

  const label = panel.getByText(/Withdraw \(USD, up to \$[\d,.]+ available\)/);
  await expect(label).toBeVisible();
  const available = minorFrom(await label.innerText());
  expect(available).toBeGreaterThanOrEqual(5_000);
  await panel.getByLabel(/Withdraw \(USD/).fill("20.00");
  await panel.getByRole("button", { name: "Withdraw" }).click();
  await expect(panel.getByRole("status")).toHaveText("Sent: $20.00 is on its way to your payout account.");
  await expect(panel.getByTestId("payouts-list").locator("li").first()).toContainText("Sent to your payout account");
  await expect(panel.getByTestId("payouts-list").locator("li").first()).toContainText("$20.00");
  const left = (available - 2_000) / 100;
  await expect(panel.getByText(`up to $${left.toLocaleString("en-US", { minimumFractionDigits: 2 })} available`)).toBeVisible();
  const transfers = [...fake.objects.values()].filter((o) => o.object === "transfer");
  expect(transfers.map((t) => t.amount)).toEqual([2_000]);
});

test("a moderator sees an open card chargeback on the review queue, in words", async ({ page }) => {
  // The card payment of the offer above: its customer's bank disputes it.
  const charge = [...fake.objects.values()].filter((o) => o.object === "charge" && o.amount === 1_800).at(-1)!;
  const dispute = await fake.openDispute(String(charge.id));
  await page.goto("/sign-in");
  await page.getByRole("button", { name: /Continue as Morgan/ }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
  await page.goto("/admin");
  const item = page.getByTestId("chargeback").filter({ hasText: String(dispute.id) });
  await expect(item).toContainText(/disputed a card payment of \$18\.00: the cardholder says they did not make this payment\./);
  await expect(item).toContainText("Evidence sent; the card network is reviewing it");
});
