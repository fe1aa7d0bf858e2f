// A delivery the customer is unhappy with: report a problem (a reason is
// required), the agent defends over the agent API and proposes a split, the
// customer accepts it, and the wallet shows the split. Uses the embedded
// demo's one-click customer, whose balance earlier specs have moved: the
// split is checked against the balance before.
import { expect, test } from "@playwright/test";
import { TestAgent } from "./fixtures/agent";
import { acceptAndPay, balance, openChatWith, say, saveScreenshot, signInAsDemoCustomer } from "./fixtures/customer";
import { apiKeyFor, closeE2eDb } from "./fixtures/database";

test.afterAll(() => closeE2eDb());

function minorFrom(text: string): number {
  const match = /\$([\d,]+)\.(\d{2})/.exec(text);
  if (!match) throw new Error(`no dollar amount in ${text}`);
  return Number(match[1]!.replace(/,/g, "")) * 100 + Number(match[2]);
}

function dollars(minor: number): string {
  return `$${(minor / 100).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

test("dispute → the agent defends → a settlement proposal accepted → the split in the wallet", async ({ page }) => {
  await signInAsDemoCustomer(page);
  await page.goto("/wallet");
  await expect(balance(page)).toContainText("$");
  const before = minorFrom(await balance(page).innerText());

  const conversationId = await openChatWith(page, "Data Scout", "report");
  await say(page, "I need a market snapshot for artisan bakeries in Lisbon.");
  const agent = new TestAgent(await apiKeyFor("data-scout"));
  const offer = await agent.offer({
    conversationId,
    title: "Market snapshot report",
    description: "Artisan bakeries in Lisbon: summary, competitors and sources.",
    amount: 1_500,
    serviceId: "svc_demoreport",
  });
  await acceptAndPay(page.getByTestId("offer-card"), "$15.00");
  await expect(page.getByText(/You paid \$15\.00; Holdfast holds it in escrow/)).toBeVisible();
  await agent.waitForEvent("escrow.funded", offer.id);

  const report = await agent.uploadData("lisbon-bakeries.json", {
    summary: "Three chains, many single shops.",
    competitors: [{ name: "Padaria Portuguesa" }],
    sources: ["https://example.org/lisbon"],
  });
  await agent.send(conversationId, "Your report is attached.", { artifactIds: [report.id], escrowId: offer.id });
  await agent.complete(offer.id);
  await expect(page.getByTestId("escrow-status-label")).toHaveText("Delivered — your review");

  // A report without a reason is refused in the page, before anything is sent.
  await page.getByRole("button", { name: "Report a problem" }).click();
  await page.getByRole("button", { name: "Report problem" }).click();
  await expect(page.getByText("Please describe the problem: a report needs a reason.")).toBeVisible();
  await page.getByLabel(/What is wrong with the delivery/).fill("Only one competitor, and nothing about prices.");
  await page.getByRole("button", { name: "Report problem" }).click();
  await expect(page.getByTestId("escrow-status-label")).toHaveText("Problem reported");
  await expect(page.getByTestId("escrow-deadline")).toContainText(/Agent must answer in \d/);

  const disputed = await agent.waitForEvent("escrow.disputed", offer.id);
  expect((disputed.data as { reason: string }).reason).toBe("Only one competitor, and nothing about prices.");
  await agent.defend(offer.id, "The brief asked for a snapshot, not a price survey; the main chain is covered.");
  await agent.proposeSettlement(offer.id, 600);

  await expect(page.getByTestId("escrow-status-label")).toHaveText("Negotiating");
  await expect(page.getByTestId("agent-defence")).toContainText("not a price survey");
  await expect(page.getByTestId("open-settlement")).toHaveText(
    "Data Scout proposes: $6.00 back to you, $9.00 to Data Scout.",
  );
  await saveScreenshot(page, "dispute");

  // A counter-proposal is checked in the page before anything is sent: not the whole amount.
  await page.getByRole("button", { name: "Propose a split" }).click();
  const refundField = page.getByLabel("How much should come back to you? (USD)");
  await refundField.fill("15");
  await page.getByRole("button", { name: "Send proposal" }).click();
  await expect(page.getByText("Enter an amount between $0.01 and $14.99.")).toBeVisible();
  await expect(refundField).toHaveAttribute("aria-invalid", "true");
  await refundField.fill("5");
  await expect(page.getByText("You get $5.00 back; Data Scout is paid $10.00.")).toBeVisible();
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(refundField).toBeHidden();

  await page.getByRole("button", { name: "Accept: $6.00 back to you" }).click();
  await page.getByRole("button", { name: "Yes, settle" }).click();
  await expect(
    page.getByText(/^You accepted the settlement\. \$6\.00 was refunded to you and \$9\.00 was released to /),
  ).toBeVisible();
  expect((await agent.escrow(offer.id)).status).toBe("resolved");

  await page.goto("/wallet");
  await expect(balance(page)).toContainText(dollars(before - 9_00));
  const rows = page.getByTestId("wallet-history").locator("tbody tr");
  await expect(rows.nth(0)).toContainText("Refund from escrow");
  await expect(rows.nth(0)).toContainText("+$6.00");
  await expect(rows.nth(0).getByTestId("settlement-split")).toHaveText(
    "Split settlement: $6.00 back to you, $9.00 to Data Scout",
  );
  await expect(rows.nth(1)).toContainText("−$15.00");
});
