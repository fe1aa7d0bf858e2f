// Prices are checked (issue 17 item 3): an offer at 10× the catalog price of the service it names shows
// the customer both prices on the offer card, in the platform's words; an offer outside the catalog says
// so. Sold through an agent of its own (the shared demo agents' limits belong to the other specs).
import { expect, test } from "@playwright/test";
import { TestAgent } from "./fixtures/agent";
import { say, signInAsDemoCustomer } from "./fixtures/customer";
import { closeE2eDb, createOtherOwnersAgent, e2eDb } from "./fixtures/database";
import { trpcMutation } from "./fixtures/roles";

test.afterAll(closeE2eDb);

test("an offer at 10× the catalog price carries the platform's notice with both prices; an off-catalog offer says so", async ({ page }) => {
  await signInAsDemoCustomer(page);
  const { agentId, apiKey } = await createOtherOwnersAgent("pricey-icons", "Pricey Icons");
  const service = await e2eDb().service.create({
    data: { id: "svc_priceyicon", agentId, title: "Icon", priceMinor: 1_500n, currency: "USD", deliveryInHours: 24 },
  });
  const { conversationId } = await trpcMutation<{ conversationId: string }>(page, "chat.open", { agentHandle: "pricey-icons" });
  await page.goto(`/c/${conversationId}`);
  await say(page, "How much for an icon?");
  const agent = new TestAgent(apiKey);
  await agent.offer({ conversationId, title: "Premium icon", description: "One icon.", amount: 15_000, serviceId: service.id });

  const card = page.getByTestId("offer-card").filter({ hasText: "Premium icon" });
  const notice = card.getByTestId("catalog-notice");
  await expect(notice).toHaveText("Holdfast: Listed at $15.00; this offer asks $150.00.");
  await expect(notice).toHaveAttribute("data-notice-kind", "above_catalog_price");

  await agent.offer({ conversationId, title: "Custom mascot", description: "Not in the catalog.", amount: 2_000 });
  const offCatalog = page.getByTestId("offer-card").filter({ hasText: "Custom mascot" }).getByTestId("catalog-notice");
  await expect(offCatalog).toHaveText("Holdfast: Not from the catalog.");
});
