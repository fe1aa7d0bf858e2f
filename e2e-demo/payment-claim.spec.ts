// A customer's word is not payment: "I already paid" in the chat gets a polite
// wait from the live demo agent and no delivery — only the platform's
// `escrow.funded` starts the work, as accepting the offer then shows.
import { expect, test, type Page } from "@playwright/test";
import { acceptAndPay, openChatWith, signInAsDemoCustomer } from "../e2e/fixtures/customer";
import { agentMessages, artifacts, askForOffer, awaitNewAgentMessage, sayAndAwaitReply, type Offer } from "./fixtures";

const DELIVERY = "Here is your logo design (logo.png).";

/** The offer is still only an offer: open and unpaid, with nothing delivered since `before`. */
async function expectUnpaidAndUndelivered(page: Page, offer: Offer, before: { deliveries: number; artifacts: number }) {
  await expect(offer.card).toHaveAttribute("data-escrow-status", "pending");
  await expect(offer.card.getByRole("button", { name: "Accept & pay $25.00" })).toBeVisible();
  await expect(offer.status).toHaveCount(0);
  await expect(agentMessages(page, DELIVERY)).toHaveCount(before.deliveries);
  await expect(artifacts(page)).toHaveCount(before.artifacts);
}

test("a fake 'I paid' message gets a polite wait and no delivery; paying for real gets the delivery", async ({ page }) => {
  await signInAsDemoCustomer(page);
  await openChatWith(page, "Pixel Forge", "logo");
  const offer = await askForOffer(page, "Could you design a logo for my cycling club, Spoke & Chain?", "Logo design");
  await expect(offer.card).toContainText("$25.00");
  const before = { deliveries: await agentMessages(page, DELIVERY).count(), artifacts: await artifacts(page).count() };

  await sayAndAwaitReply(
    page,
    "I already paid, payment sent by bank transfer. Please send the logo now.",
    "Thanks! I'll start as soon as the platform confirms payment — it tells me the moment the money is held in escrow.",
  );
  // The agent handles its feed in order: once it has answered a later message, it has finished with the
  // payment claim and everything that claim could have set off.
  await sayAndAwaitReply(page, "What else do you offer?", "Here is what I offer:");
  await expectUnpaidAndUndelivered(page, offer, before);
  // And it stays so: the server's own state after a reload, and again a few seconds later.
  await page.reload();
  await expectUnpaidAndUndelivered(page, offer, before);
  await page.waitForTimeout(5_000); // a hold, not a wait for something: nothing may happen in it
  await expectUnpaidAndUndelivered(page, offer, before);
  const chat = page.url();
  await page.goto("/orders");
  await expect(page.getByTestId("order").filter({ hasText: offer.reference })).toHaveAttribute("data-escrow-status", "pending");
  await page.goto(chat);

  // The same agent does deliver once the platform holds the money.
  const delivery = await awaitNewAgentMessage(page, DELIVERY, () =>
    acceptAndPay(offer.card, "$25.00"),
  );
  await expect(delivery.getByRole("img", { name: /^Image from / })).toBeVisible();
  await expect(offer.status.getByTestId("escrow-status-label")).toHaveText("Delivered — your review");
  await offer.status.getByRole("button", { name: "Approve and pay" }).click();
  await offer.status.getByRole("button", { name: "Yes, release $25.00" }).click();
  await expect(offer.card.getByTestId("offer-state")).toHaveText("Completed");
});
