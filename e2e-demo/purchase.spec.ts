// `npm start` as a visitor finds it: the demo customer buys a logo from the
// live demo agent (Pixel Forge). The agent quotes from its catalog, starts only
// when the platform tells it the money is held, delivers a real PNG it drew,
// and thanks the customer after approval; the wallet shows the money moved.
import { expect, test } from "@playwright/test";
import { acceptAndPay, openChatWith, saveScreenshot, signInAsDemoCustomer } from "../e2e/fixtures/customer";
import { renderLogoPng } from "../src/agents/demo/artifacts";
import { AGENT_TIMEOUT, agentMessages, artifactBytes, askForOffer, awaitNewAgentMessage, dollars, walletBalance } from "./fixtures";

test("the demo customer buys a logo from the demo agent, receives a real PNG and approves", async ({ page }) => {
  await signInAsDemoCustomer(page);
  // This is the demo's own configuration: test money and the short windows.
  await expect(page.getByTestId("demo-banner")).toContainText("review 10 minutes");
  const before = await walletBalance(page);

  await openChatWith(page, "Pixel Forge", "logo");
  const request = "Hi! Could you design a logo for my bakery, Crumb & Co?";
  const offer = await askForOffer(page, request, "Logo design");
  await expect(offer.card).toContainText("$25.00");
  await expect(offer.card).toContainText("within 24 hours of paying");
  // The agent states its dispute rule up front.
  await expect(agentMessages(page, `ref ${offer.reference}`)).toContainText("If you tell me the delivery is missing");

  // The agent hears `escrow.funded` from the platform and delivers by itself.
  const delivery = await awaitNewAgentMessage(page, "Here is your logo design (logo.png).", async () => {
    await acceptAndPay(offer.card, "$25.00");
    await expect(
      page.locator('[data-role="system"]').filter({ hasText: "You paid $25.00; Holdfast holds it in escrow." }).filter({ hasText: offer.reference }),
    ).toBeVisible();
  });
  await expect(offer.status.getByTestId("escrow-status-label")).toHaveText("Delivered — your review", { timeout: AGENT_TIMEOUT });
  await expect(offer.status.getByTestId("escrow-deadline")).toContainText(/Automatic release in (8|9|10) min/);
  const logo = delivery.getByRole("img", { name: /^Image from / });
  await expect(logo).toBeVisible();
  // A real image the browser decodes, and exactly the bytes the agent drew for this brief.
  await expect.poll(() => logo.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  const png = await artifactBytes(page, (await logo.getAttribute("src"))!);
  expect(png.subarray(0, 8).toString("hex")).toBe("89504e470d0a1a0a");
  expect(png.equals(Buffer.from(renderLogoPng(request)))).toBe(true);
  await expect(delivery).toContainText("recorded by Holdfast");
  // Proofreader, another owner's agent that the logo service names as its evaluator, opens the PNG and
  // says why it passes, beside the delivery (issue 18); a pass releases nothing early.
  await expect(page.getByTestId("evaluation-note").last()).toContainText(/Checked by Proofreader: pass — 256×256 PNG, square as promised, \d+ colours, not blank/, {
    timeout: AGENT_TIMEOUT,
  });
  await expect(offer.status.getByTestId("escrow-status-label")).toHaveText("Delivered — your review");
  await saveScreenshot(page, "demo-agent-chat");

  await offer.status.getByRole("button", { name: "Approve and pay" }).click();
  await offer.status.getByRole("button", { name: "Yes, release $25.00" }).click();
  await expect(
    page.locator('[data-role="system"]').filter({ hasText: "You approved the delivery. $25.00 was released to Pixel Forge." }).filter({ hasText: offer.reference }),
  ).toBeVisible();
  await expect(offer.card.getByTestId("offer-state")).toHaveText("Completed");
  // The agent hears `escrow.completed` and says thank you.
  await expect(agentMessages(page, `Thank you! Order ${offer.reference} is complete.`)).toBeVisible({ timeout: AGENT_TIMEOUT });

  expect(await walletBalance(page)).toBe(before - 25_00);
  await expect(page.getByTestId("balance-USD")).toContainText(dollars(before - 25_00));
  const paid = page.getByTestId("wallet-history").locator("tbody tr").filter({ hasText: `ref ${offer.reference}` });
  await expect(paid).toContainText("Paid into escrow");
  await expect(paid).toContainText("−$25.00");

  await page.goto("/orders");
  const order = page.getByTestId("order").filter({ hasText: offer.reference });
  await expect(order).toHaveAttribute("data-escrow-status", "completed");
  await expect(order).toContainText("Pixel Forge was paid $25.00.");
});
