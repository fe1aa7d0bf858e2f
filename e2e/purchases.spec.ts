// Agent-to-agent purchases in the browser (SPEC §6.6): the demo owner creates an agent and lets it buy
// with the owner's wallet up to a limit; the agent (over the agent API, with the key the console showed)
// buys from another owner's agent; the seller contests its dispute; the owner finds the alert in the
// console and answers their agent; then the owner opens the order — the chat is theirs to read, only
// their agent writes in it — and asks a moderator to decide, straight from the order.
import { expect, test } from "@playwright/test";
import { HoldfastClient, type AgentEvent } from "../src/client";
import { addTestFunds } from "./fixtures/customer";
import { closeE2eDb, createOtherOwnersAgent } from "./fixtures/database";
import { logoPng } from "./fixtures/images";
import { E2E_BASE_URL } from "./fixtures/stack";

test.afterAll(async () => {
  await closeE2eDb();
});

/** Waits on an agent's feed for an event of this type (the feed long-polls). */
async function waitForEvent(agent: HoldfastClient, type: string, after: { cursor?: string }): Promise<AgentEvent> {
  for (let i = 0; i < 12; i++) {
    const page = await agent.events({ wait: 5, ...(after.cursor ? { after: after.cursor } : {}) });
    if (page.next_cursor) after.cursor = page.next_cursor;
    const found = page.events.find((e) => e.type === type);
    if (found) return found;
  }
  throw new Error(`no ${type} event`);
}

test("an owner lets an agent buy, answers its escalated dispute, and acts on the order", async ({ page }) => {
  const stamp = Date.now().toString(36);
  const seller = await createOtherOwnersAgent(`icons-${stamp}`, "Icon Smith");
  const sellerApi = new HoldfastClient({ baseUrl: E2E_BASE_URL, apiKey: seller.apiKey, validate: true });

  await page.goto("/sign-in");
  await page.getByRole("button", { name: /Continue as Olivia/ }).click();
  await expect(page.getByTestId("signed-in-as")).toContainText("Olivia");
  await addTestFunds(page, "100");

  // The owner creates a buying agent and opts it in, with a limit.
  await page.goto("/owner/agents");
  const handle = `buyer-${stamp}`;
  await page.getByLabel("Handle").fill(handle);
  await page.getByLabel("Display name").fill("Shop Builder");
  await page.getByRole("button", { name: "Create agent" }).click();
  const apiKey = (await page.getByTestId("new-api-key").textContent())!.trim();
  await page.getByRole("button", { name: "I saved it" }).click();
  const buyer = new HoldfastClient({ baseUrl: E2E_BASE_URL, apiKey, validate: true });
  // Off by default: the agent cannot start buying.
  await expect(buyer.startPurchaseConversation(`icons-${stamp}`)).rejects.toMatchObject({ code: "purchasing_not_enabled" });

  const card = page.getByTestId(`agent-${handle}`);
  await card.getByText("Buying from other agents").click();
  await card.getByLabel("Let this agent buy with my wallet").check();
  // The limit is read exactly, in cents: a third decimal is refused before anything is sent.
  await card.getByLabel("Spending limit").fill("40.005");
  await expect(card.getByText("Enter the limit as an amount, e.g. 50.00.")).toBeVisible();
  await expect(card.getByRole("button", { name: "Save" }).last()).toBeDisabled();
  await card.getByLabel("Spending limit").fill("40.00");
  await card.getByRole("button", { name: "Save" }).last().click();
  await expect(card.getByText("Buying from other agents (on, up to $40.00 per 30 days)")).toBeVisible();
  expect((await buyer.me()).purchasing).toEqual({ enabled: true, currency: "USD", spending_limit: 4_000, spent_last_30_days: 0 });

  // The agent buys an icon from the other owner's agent; the seller delivers.
  const conversation = await buyer.startPurchaseConversation(`icons-${stamp}`);
  await buyer.sendPurchaseMessage(conversation.id, "I need a shop icon, 160 px, PNG.");
  const offer = await sellerApi.createEscrow({ conversation_id: conversation.id, title: "Shop icon", amount: 3_000, currency: "USD" });
  const feed: { cursor?: string } = {};
  await waitForEvent(buyer, "purchase.offered", feed);
  expect((await buyer.acceptPurchase(offer.id)).status).toBe("active");
  const art = await sellerApi.uploadFile({ name: "icon.png", bytes: logoPng(), contentType: "image/png" });
  await sellerApi.sendMessage(conversation.id, { text: "Here is your icon.", artifact_ids: [art.id], escrow_id: offer.id });
  await sellerApi.complete(offer.id);
  await waitForEvent(buyer, "purchase.delivered", feed);
  await buyer.disputePurchase(offer.id, "The icon is for a bakery, not a shop.");
  await sellerApi.defend(offer.id, "The brief said shop icon; this is a shop icon.");

  // The owner is alerted in the console and answers their agent there.
  await page.goto("/owner");
  const alert = page.getByTestId("alert").filter({ hasText: `Your agent's purchase "Shop icon" from Icon Smith is disputed` });
  await expect(alert).toBeVisible({ timeout: 15_000 });
  await expect(alert).toContainText("The seller contested your agent's dispute");
  await alert.getByRole("link").first().click();
  await expect(page).toHaveURL(/\/owner\/alerts\/alr_/);
  await page.getByLabel("Reply to the agent").fill("Hold firm; I will ask a moderator.");
  await page.getByRole("button", { name: "Send reply" }).click();
  await expect(page.getByText("Sent to the agent.")).toBeVisible();
  const instruction = await waitForEvent(buyer, "owner.instruction", feed);
  expect(instruction).toMatchObject({ trusted: true, data: { text: "Hold firm; I will ask a moderator." } });

  // The purchase is among the owner's orders; its chat is readable, and only the agent writes there.
  await page.goto("/orders");
  const order = page.getByTestId("order").filter({ hasText: "Shop icon" });
  await expect(order).toContainText("bought by your agent Shop Builder");
  await order.getByRole("link", { name: "Open the chat to act" }).click();
  await expect(page.getByTestId("buyer-agent-note")).toContainText("Your agent Shop Builder is buying here");
  await expect(page.getByText("I need a shop icon, 160 px, PNG.")).toBeVisible();
  await expect(page.getByRole("img", { name: /^Image from / })).toBeVisible();
  await expect(page.getByText("Hold firm; I will ask a moderator.")).toHaveCount(0);
  await expect(page.getByPlaceholder(/Write to/)).toHaveCount(0);

  // The owner asks a moderator to decide, from the order itself.
  await page.getByRole("button", { name: "Ask a moderator to decide" }).click();
  await page.getByRole("button", { name: "Yes, ask a moderator" }).click();
  await expect.poll(async () => (await buyer.getPurchase(offer.id)).status, { timeout: 15_000 }).toBe("admin_review");
  await page.goto("/owner");
  await expect(page.getByTestId("alert").filter({ hasText: "went to a moderator" })).toBeVisible({ timeout: 15_000 });
  // The money in escrow counts against the limit, and the console says so beside it.
  await page.goto("/owner/agents");
  await expect(page.getByTestId(`agent-${handle}`)).toContainText("(on, up to $40.00 per 30 days) · spent $30.00 in the last 30 days");
});
