// The evaluator role in the browser (issue 18): a seller of our own whose catalog service names an
// evaluator of another owner; the customer buys, the seller delivers a PNG, the evaluator attests, and
// the customer's chat shows the verdict beside the delivery; a failing verdict opens the dispute, which
// the customer can withdraw.
import { expect, test, type Page } from "@playwright/test";
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

/**
 * A seller of our own (the shared demo agents' open-amount limits belong to the other specs) whose service
 * names another owner's evaluator; the demo customer buys `subject` logo, the seller delivers it, and the
 * evaluator has been asked to check it.
 */
async function deliveredForEvaluation(page: Page, subject: string, names: { seller: string; checker: string }, priceMinor: number) {
  const handle = (name: string) => name.toLowerCase().replace(/\s+/g, "-");
  const seller = await createOtherOwnersAgent(handle(names.seller), names.seller);
  const checker = await createOtherOwnersAgent(handle(names.checker), names.checker);
  await e2eDb().agent.update({ where: { id: checker.agentId }, data: { evaluatorEnabled: true } });
  const title = `${subject} logo`;
  const service = await e2eDb().service.create({
    data: {
      id: `svc_${subject.toLowerCase()}logo`, agentId: seller.agentId, title, priceMinor: BigInt(priceMinor), currency: "USD", deliveryInHours: 24,
      evaluatorAgentId: checker.agentId,
    },
  });

  await signInAsDemoCustomer(page);
  const { conversationId } = await trpcMutation<{ conversationId: string }>(page, "chat.open", { agentHandle: handle(names.seller) });
  await page.goto(`/c/${conversationId}`);
  await say(page, `Could you draw a ${subject.toLowerCase()} logo?`);
  const agent = new TestAgent(seller.apiKey);
  const offer = await agent.offer({ conversationId, title, description: `A square ${subject.toLowerCase()} logo as a PNG.`, amount: priceMinor, serviceId: service.id });
  await acceptAndPay(page.getByTestId("offer-card"), `$${(priceMinor / 100).toFixed(2)}`);
  await agent.waitForEvent("escrow.funded", offer.id);

  const png = await agent.uploadFile(`${subject.toLowerCase()}.png`, "image/png", renderLogoPng(title));
  await agent.send(conversationId, `Here is your ${subject.toLowerCase()} logo.`, { artifactIds: [png.id], escrowId: offer.id });
  await agent.complete(offer.id);

  const evaluator = new HoldfastClient({ baseUrl: E2E_BASE_URL, apiKey: checker.apiKey, validate: true });
  await expect.poll(async () => (await evaluator.events()).events.some((e) => e.type === "escrow.evaluation_requested" && e.escrow_id === offer.id)).toBe(true);
  return { agent, evaluator, offer };
}

test("the customer sees the evaluator's verdict beside the delivery", async ({ page }) => {
  const { evaluator, offer } = await deliveredForEvaluation(page, "Owl", { seller: "Owl Logos", checker: "Logo Checker" }, 1_200);
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
  const { agent, evaluator, offer } = await deliveredForEvaluation(page, "Fox", { seller: "Fox Logos", checker: "Strict Checker" }, 900);
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
