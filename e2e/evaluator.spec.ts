// The evaluator role in the browser (issue 18): a seller of our own whose catalog service names an
// evaluator of another owner; the customer buys, the seller delivers a PNG, the evaluator attests, and
// the customer's chat shows the verdict beside the delivery.
import { expect, test } from "@playwright/test";
import { HoldfastClient } from "../src/client";
import { renderLogoPng } from "../src/agents/demo/artifacts";
import { TestAgent } from "./fixtures/agent";
import { acceptAndPay, say, signInAsDemoCustomer } from "./fixtures/customer";
import { closeE2eDb, createOtherOwnersAgent, e2eDb } from "./fixtures/database";
import { trpcMutation } from "./fixtures/roles";
import { E2E_BASE_URL } from "./fixtures/stack";

test.afterAll(async () => {
  await closeE2eDb();
});

test("the customer sees the evaluator's verdict beside the delivery", async ({ page }) => {
  // Sellers of their own: the shared demo agents' open-amount limits belong to the other specs.
  const seller = await createOtherOwnersAgent("owl-logos", "Owl Logos");
  const checker = await createOtherOwnersAgent("logo-checker", "Logo Checker");
  await e2eDb().agent.update({ where: { id: checker.agentId }, data: { evaluatorEnabled: true } });
  const service = await e2eDb().service.create({
    data: {
      id: "svc_owllogo", agentId: seller.agentId, title: "Owl logo", priceMinor: 1_200n, currency: "USD", deliveryInHours: 24,
      evaluatorAgentId: checker.agentId,
    },
  });

  await signInAsDemoCustomer(page);
  const { conversationId } = await trpcMutation<{ conversationId: string }>(page, "chat.open", { agentHandle: "owl-logos" });
  await page.goto(`/c/${conversationId}`);
  await say(page, "Could you draw an owl logo?");
  const agent = new TestAgent(seller.apiKey);
  const offer = await agent.offer({ conversationId, title: "Owl logo", description: "A square owl logo as a PNG.", amount: 1_200, serviceId: service.id });
  const card = page.getByTestId("offer-card");
  await acceptAndPay(card, "$12.00");
  await agent.waitForEvent("escrow.funded", offer.id);

  const png = await agent.uploadFile("owl.png", "image/png", renderLogoPng("Owl logo"));
  await agent.send(conversationId, "Here is your owl logo.", { artifactIds: [png.id], escrowId: offer.id });
  await agent.complete(offer.id);

  const evaluator = new HoldfastClient({ baseUrl: E2E_BASE_URL, apiKey: checker.apiKey, validate: true });
  await expect.poll(async () => (await evaluator.events()).events.some((e) => e.type === "escrow.evaluation_requested" && e.escrow_id === offer.id)).toBe(true);
  const note = page.getByTestId("evaluation-note");
  // Nothing is shown while the evaluator works; the verdict appears beside the delivery.
  await expect(note).toHaveCount(0);
  await evaluator.attest(offer.id, { verdict: "pass", report: "256×256 PNG, not blank" });

  await expect(note).toContainText("Checked by Logo Checker: pass — 256×256 PNG, not blank", { timeout: 15_000 });
  await expect(note).toHaveAttribute("data-state", "passed");
  // Beside the delivery: right after the message that carried the file.
  const delivery = page.getByRole("list", { name: "Messages" }).getByText("Here is your owl logo.");
  await expect(delivery).toBeVisible();
});

test("the customer withdraws the dispute the evaluator's fail opened, and reviews the delivery again", async ({ page }) => {
  const seller = await createOtherOwnersAgent("fox-logos", "Fox Logos");
  const checker = await createOtherOwnersAgent("strict-checker", "Strict Checker");
  await e2eDb().agent.update({ where: { id: checker.agentId }, data: { evaluatorEnabled: true } });
  const service = await e2eDb().service.create({
    data: {
      id: "svc_foxlogo", agentId: seller.agentId, title: "Fox logo", priceMinor: 900n, currency: "USD", deliveryInHours: 24,
      evaluatorAgentId: checker.agentId,
    },
  });

  await signInAsDemoCustomer(page);
  const { conversationId } = await trpcMutation<{ conversationId: string }>(page, "chat.open", { agentHandle: "fox-logos" });
  await page.goto(`/c/${conversationId}`);
  await say(page, "Could you draw a fox logo?");
  const agent = new TestAgent(seller.apiKey);
  const offer = await agent.offer({ conversationId, title: "Fox logo", description: "A square fox logo as a PNG.", amount: 900, serviceId: service.id });
  await acceptAndPay(page.getByTestId("offer-card"), "$9.00");
  await agent.waitForEvent("escrow.funded", offer.id);
  const png = await agent.uploadFile("fox.png", "image/png", renderLogoPng("Fox logo"));
  await agent.send(conversationId, "Here is your fox logo.", { artifactIds: [png.id], escrowId: offer.id });
  await agent.complete(offer.id);

  const evaluator = new HoldfastClient({ baseUrl: E2E_BASE_URL, apiKey: checker.apiKey, validate: true });
  await expect.poll(async () => (await evaluator.events()).events.some((e) => e.type === "escrow.evaluation_requested" && e.escrow_id === offer.id)).toBe(true);
  await evaluator.attest(offer.id, { verdict: "fail", report: "The fox is orange, not red as asked." });

  const withdraw = page.getByRole("button", { name: "Withdraw the evaluator's dispute" });
  await expect(withdraw).toBeVisible({ timeout: 15_000 });
  await withdraw.click();
  await page.getByRole("button", { name: "Yes, withdraw the dispute" }).click();
  // Back in review: the customer's own moves on a delivery are offered again, the withdrawal is gone.
  await expect(page.getByRole("button", { name: "Approve and pay" })).toBeVisible({ timeout: 15_000 });
  await expect(withdraw).toHaveCount(0);
  await agent.waitForEvent("escrow.dispute_withdrawn", offer.id);
  await expect.poll(async () => (await e2eDb().escrow.findUniqueOrThrow({ where: { id: offer.id } })).status).toBe("delivered");

  // The evaluator's verdict is part of its public record.
  await page.goto("/agents/strict-checker");
  await expect(page.getByTestId("evaluator-record")).toContainText("1 verdict: 0 passed, 1 failed.");
});
