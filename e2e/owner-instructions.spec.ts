// The owner's word reaches the customer (issue 22 item 6), in the browser: the reference agent
// (src/agents/demo, run here in the test process over the agent API with its own key, as on an owner's
// machine) sells a logo, delivers it and answers the customer's dispute by its rule; the owner answers
// the dispute alert from the console with "Offer a full refund"; the customer sees the refund in the chat.
import { expect, test, type Page } from "@playwright/test";
import { HoldfastClient } from "../src/client";
import { DemoSellerAgent } from "../src/agents/demo/agent";
import { issueAgentApiKey } from "../src/server/auth/api-keys";
import { balance, openChatWith, saveScreenshot, say, signInAsDemoCustomer } from "./fixtures/customer";
import { closeE2eDb, e2eDb } from "./fixtures/database";
import { E2E_BASE_URL } from "./fixtures/stack";

test.afterAll(() => closeE2eDb());

/** A fresh seller agent of the demo owner (Olivia) with one logo service, so its feed holds only this test. */
async function freshLogoAgent(): Promise<{ agentId: string; displayName: string; apiKey: string }> {
  const suffix = Date.now().toString(36);
  const agentId = `agt_ownerloop${suffix}`;
  const displayName = `Loop Logos ${suffix}`;
  await e2eDb().agent.create({
    data: { id: agentId, ownerId: "usr_demoowner", handle: `loop-logos-${suffix}`, displayName, description: "Logos, with an owner who answers." },
  });
  await e2eDb().service.create({
    data: {
      id: `svc_ownerloop${suffix}`,
      agentId,
      title: "Logo design",
      description: "A logo drawn to your brief.",
      priceMinor: 25_00n,
      currency: "USD",
      deliveryInHours: 24,
      artifactContract: { kinds: ["image"], mime_types: ["image/png"], json_schema: null },
    },
  });
  const { key } = await issueAgentApiKey(e2eDb(), agentId, "e2e");
  return { agentId, displayName, apiKey: key };
}

/** The money step, whether the page charges at once or asks to confirm first. */
async function acceptAndPay(page: Page) {
  await page.getByTestId("offer-card").getByRole("button", { name: "Accept & pay $25.00" }).click();
  const confirm = page.getByRole("button", { name: /^(Yes, pay|Confirm|Pay \$25\.00)/ });
  if (await confirm.isVisible({ timeout: 2_000 }).catch(() => false)) await confirm.click();
}

test("the owner answers a dispute with \"Offer a full refund\" and the customer sees the refund in the chat", async ({ page, browser }) => {
  test.setTimeout(120_000);
  const seller = await freshLogoAgent();
  const agent = new DemoSellerAgent(new HoldfastClient({ baseUrl: E2E_BASE_URL, apiKey: seller.apiKey, validate: true }));
  const stop = new AbortController();
  const running = agent.run(stop.signal);
  try {
    await signInAsDemoCustomer(page);
    await page.goto("/wallet");
    const before = (await balance(page).textContent())!;
    await openChatWith(page, seller.displayName, seller.displayName);
    await say(page, "Can you design a logo for my bakery, Crumb & Co, in navy and gold?");
    const offerCard = page.getByTestId("offer-card");
    // The offer is written from the request, and priced from the catalog.
    await expect(offerCard).toContainText('Logo design for your bakery named "Crumb & Co" in navy and gold.', { timeout: 30_000 });
    await acceptAndPay(page);
    await expect(page.getByTestId("escrow-status-label")).toHaveText("Delivered — your review", { timeout: 30_000 });

    await page.getByRole("button", { name: "Report a problem" }).click();
    await page.getByLabel(/What is wrong with the delivery/).fill("I don't like the colours");
    await page.getByRole("button", { name: "Report problem" }).click();
    await expect(page.getByTestId("escrow-status-label")).toHaveText("Negotiating", { timeout: 30_000 });
    // The agent's answer addresses the reason the customer gave.
    await expect(page.getByTestId("agent-defence")).toContainText('You said: "I don\'t like the colours".');
    await expect(page.getByTestId("agent-defence")).toContainText("the colours your brief named (navy and gold)");

    // The owner answers the dispute alert from the console, as the alert's email link opens it.
    const alert = await e2eDb().ownerAlert.findFirstOrThrow({ where: { agentId: seller.agentId, reason: "dispute" } });
    const ownerContext = await browser.newContext();
    const owner = await ownerContext.newPage();
    await owner.goto("/sign-in");
    await owner.getByRole("button", { name: /Continue as Olivia/ }).click();
    await expect(owner.getByTestId("signed-in-as")).toContainText("Olivia");
    await owner.goto(`/owner/alerts/${alert.id}`);
    await owner.getByLabel("Reply to the agent").fill("Offer a full refund");
    await owner.getByRole("button", { name: "Send reply" }).click();
    await expect(owner.getByText("Sent to the agent.")).toBeVisible();
    await ownerContext.close();

    // The agent's next message to the customer acts on it: the refund, in the chat, and the money back.
    const messages = page.getByRole("list", { name: "Messages" });
    await expect(messages.locator('[data-role="agent"]').filter({ hasText: "asked me to refund you in full: $25.00 is back in your wallet." })).toBeVisible({
      timeout: 30_000,
    });
    await expect(messages.locator('[data-role="system"]').filter({ hasText: "$25.00 was refunded to you" })).toBeVisible();
    await expect(messages).not.toContainText("Offer a full refund"); // the owner's words stay between owner and agent
    await expect(messages).not.toContainText("follow up shortly");
    await saveScreenshot(page, "owner-refund");
    await page.goto("/wallet");
    await expect(balance(page)).toHaveText(before);
  } finally {
    stop.abort();
    await running;
  }
});
