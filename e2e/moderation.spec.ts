// The moderation console. A customer disputes a delivery; the agent stays
// silent, and the real response timer (a short window on a second server,
// see fixtures/short-windows-server.ts) moves the case to admin review. A
// moderator finds it in the queue, reads the case file — the delivered image
// and JSON, the owner's private instruction marked, the timeline — decides a
// split with a note, and both wallets show it. A customer opening /admin is
// told it is for moderators only.
import { expect, test, type Browser, type Page } from "@playwright/test";
import { insertMessage } from "../src/server/conversations/messages";
import { TestAgent } from "./fixtures/agent";
import { acceptAndPay, balance, openChatWith, say, saveScreenshot, signInAsDemoCustomer } from "./fixtures/customer";
import { apiKeyFor, closeE2eDb, e2eDb } from "./fixtures/database";
import { logoPng } from "./fixtures/images";
import { SHORT_WINDOWS_URL, ShortWindowsServer } from "./fixtures/short-windows-server";

const RESPONSE_WINDOW_S = 8;
const server = new ShortWindowsServer({ HOLDFAST_RESPONSE_WINDOW_S: String(RESPONSE_WINDOW_S) });

test.use({ baseURL: SHORT_WINDOWS_URL });
test.beforeAll(async () => {
  await server.start();
});
test.afterAll(async () => {
  await server.stop();
  await closeE2eDb();
});

/** "$491.00" → 49100 */
function minorFrom(text: string): number {
  const match = /\$([\d,]+)\.(\d{2})/.exec(text);
  if (!match) throw new Error(`no dollar amount in ${text}`);
  return Number(match[1]!.replace(/,/g, "")) * 100 + Number(match[2]);
}

async function customerBalance(page: Page): Promise<number> {
  await page.goto("/wallet");
  await expect(balance(page)).toContainText("$");
  return minorFrom(await balance(page).innerText());
}

/** Opens `path` in a fresh browser as nobody, is sent to sign in, and comes back signed in with a demo account. */
async function signInAs(browser: Browser, who: RegExp, callbackPath: string): Promise<Page> {
  const context = await browser.newContext({ baseURL: SHORT_WINDOWS_URL });
  const page = await context.newPage();
  await page.goto(callbackPath);
  await expect(page).toHaveURL(`/sign-in?callbackUrl=${encodeURIComponent(callbackPath)}`);
  await page.getByRole("button", { name: who }).click();
  await expect(page).toHaveURL(new RegExp(`${callbackPath.replace(/[/?]/g, "\\$&")}$`));
  return page;
}

/** The owner's money in USD (available + held for the agent's risk tier), through the wallet.balance procedure. */
async function ownerFunds(owner: Page): Promise<number> {
  const response = await owner.request.get("/api/trpc/wallet.balance");
  expect(response.ok()).toBe(true);
  const body = (await response.json()) as { result: { data: { json: { balances: { currency: string; balanceMinor: number; heldMinor: number }[] } } } };
  const usd = body.result.data.json.balances.find((b) => b.currency === "USD");
  return usd ? usd.balanceMinor + usd.heldMinor : 0;
}

test("a silent agent's dispute times out to review; a moderator decides a split; both wallets show it", async ({ page, browser }) => {
  test.setTimeout(120_000);
  // Anonymous visitors are sent to sign in and come back to the console.
  const moderator = await signInAs(browser, /Continue as Morgan/, "/admin");
  await expect(moderator.getByRole("heading", { name: "Review queue" })).toBeVisible();
  const owner = await signInAs(browser, /Continue as Olivia/, "/wallet");
  const ownerBefore = await ownerFunds(owner);

  await signInAsDemoCustomer(page);
  const customerBefore = await customerBalance(page);
  const conversationId = await openChatWith(page, "Pixel Forge", "logo");
  await say(page, "A logo for my bakery, Forno Verde, please: green and round.");
  const agent = new TestAgent(await apiKeyFor("pixel-forge"));
  const offer = await agent.offer({
    conversationId,
    title: "Logo design",
    description: "A round green logo for Forno Verde, as PNG.",
    amount: 2_500,
    serviceId: "svc_demologo",
  });
  await acceptAndPay(page.getByTestId("offer-card"), "$25.00");
  // The demo customer's chat with Pixel Forge may hold earlier specs' orders: this order's notice and status bar.
  await expect(page.getByText(/You paid \$25\.00; Holdfast holds it in escrow/).filter({ hasText: offer.reference_code })).toBeVisible();
  await agent.waitForEvent("escrow.funded", offer.id);
  const order = page.getByRole("region", { name: `Order ${offer.reference_code}: Logo design` });

  const logo = await agent.uploadFile("forno-verde.png", "image/png", logoPng());
  const notes = await agent.uploadData("design-notes.json", { palette: ["#1f6f5c", "#eef6f3"], font: "none" });
  await agent.send(conversationId, "Your logo, with the design notes.", { artifactIds: [logo.id, notes.id], escrowId: offer.id });
  await agent.complete(offer.id);
  // The owner's instruction to the agent, as the owner loop writes it (the owner console is another issue):
  // private to the agent, never shown to the customer, but part of the case file.
  await e2eDb().$transaction((tx) =>
    insertMessage(tx, { conversationId, escrowId: offer.id, role: "owner", text: "Do not refund this one; the brief was met.", createdAt: new Date() }),
  );
  await expect(order.getByTestId("escrow-status-label")).toHaveText("Delivered — your review");

  await order.getByRole("button", { name: "Report a problem" }).click();
  await order.getByLabel(/What is wrong with the delivery/).fill("The logo is a plain disc: no name, nothing about bread.");
  await order.getByRole("button", { name: "Report problem" }).click();
  await expect(order.getByTestId("escrow-status-label")).toHaveText("Problem reported");
  const customerAfterPaying = await customerBalance(page);
  expect(customerAfterPaying).toBe(customerBefore - 2_500);

  // The agent says nothing. The response timer fires and the case appears in the queue.
  await moderator.reload();
  const row = moderator.getByTestId("review-queue").locator("tr", { hasText: "Logo design" }).filter({ hasText: "Casey" });
  await expect(row).toBeVisible({ timeout: (RESPONSE_WINDOW_S + 30) * 1000 });
  await expect(row).toContainText("Agent did not answer the dispute in time");
  // The SLA, and this case's time left against it.
  await expect(moderator.getByTestId("queue-summary")).toContainText("decide each within 24 hours (the SLA)");
  await expect(row.getByTestId("time-left")).toContainText(/2[34] h( \d+ min)? left/);
  await expect(row).toContainText("$25.00");
  await expect(row).toContainText("Pixel Forge");
  await row.getByRole("link", { name: "Logo design" }).click();
  await expect(moderator).toHaveURL(new RegExp(`/admin/cases/${offer.id}$`));

  // The case file: reason, no defence, the artifacts (bytes through the moderators' route), the owner's instruction, the timeline.
  await expect(moderator.getByTestId("dispute-reason")).toHaveText("The logo is a plain disc: no name, nothing about bread.");
  await expect(moderator.getByTestId("defence")).toHaveText("The agent did not answer.");
  const transcript = moderator.getByTestId("case-transcript");
  // The transcript is the whole conversation, earlier orders' deliveries included: this delivery's image.
  const image = transcript.getByRole("img", { name: "Image in the conversation: Your logo, with the design notes." });
  await expect(image).toBeVisible();
  await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(160);
  await expect(image).toHaveAttribute("src", `/api/admin/artifacts/${logo.id}`);
  // The artifact keeps its own sandbox policy, as the only CSP (the app's frame-ancestors policy is not added on top).
  const bytes = await moderator.request.get(`/api/admin/artifacts/${logo.id}`);
  const policies = bytes.headersArray().filter((h) => h.name.toLowerCase() === "content-security-policy");
  expect(policies).toHaveLength(1);
  expect(policies[0]?.value).toContain("sandbox");
  expect(bytes.headers()["x-frame-options"]).toBe("DENY");
  await expect(transcript.getByTestId("artifact-data")).toContainText("#1f6f5c");
  const instruction = transcript.locator('li[data-role="owner"]');
  await expect(instruction).toContainText("Owner");
  await expect(instruction).toContainText("private to the agent");
  await expect(instruction).toContainText("Do not refund this one; the brief was met.");
  const timeline = moderator.getByTestId("case-timeline");
  // States and commands in words, never their code names.
  await expect(timeline).toContainText("Delivered, customer reviewing → Disputed, waiting for the agent · the customer reported a problem");
  await expect(timeline).toContainText("Disputed, waiting for the agent → Waiting for a moderator · by the timer: the agent did not answer in time");
  await expect(timeline).not.toContainText("admin_review");
  await expect(moderator.getByTestId("case-status")).toHaveText("Waiting for a moderator");
  await expect(moderator.getByTestId("case-transfers")).toContainText("Customer's payment into escrow");

  // A split: the refund is checked in the page, and a note is required.
  await moderator.getByLabel(/Split: part back/).check();
  await moderator.getByLabel("Refund to the customer (USD)").fill("25");
  await moderator.getByRole("button", { name: "Record decision…" }).click();
  await expect(moderator.getByText(/less than the whole \$25\.00/)).toBeVisible();
  await moderator.getByLabel("Refund to the customer (USD)").fill("10");
  await expect(moderator.getByTestId("split-preview")).toHaveText("$10.00 back to Casey Customer, $15.00 to Pixel Forge (of $25.00).");
  await moderator.getByRole("button", { name: "Record decision…" }).click();
  await expect(moderator.getByText("Write a note: both parties see why you decided this.")).toBeVisible();
  await moderator.getByLabel("Note to both parties (required)").fill("The logo matches the brief's colours and shape but lacks the name; part of the price comes back.");
  await saveScreenshot(moderator, "moderation-case");
  // The decision is final: it is confirmed first, with the amounts; going back keeps what was typed.
  await moderator.getByRole("button", { name: "Record decision…" }).click();
  const confirm = moderator.getByTestId("confirm-decision");
  await expect(confirm.getByTestId("confirm-decision-money")).toHaveText(
    "Refund $10.00 to Casey Customer and release $15.00 to Pixel Forge (less the platform fee on that part).",
  );
  await expect(moderator.getByRole("heading", { name: "Confirm the decision" })).toBeFocused();
  await confirm.getByRole("button", { name: "Change it" }).click();
  await expect(moderator.getByLabel("Refund to the customer (USD)")).toHaveValue("10");
  expect((await agent.escrow(offer.id)).status).toBe("admin_review");
  await moderator.getByRole("button", { name: "Record decision…" }).click();
  await moderator.getByRole("button", { name: "Yes, record this decision" }).click();

  const outcome = moderator.getByTestId("case-outcome");
  await expect(outcome).toContainText("Split: $10.00 back to Casey Customer, $15.00 to Pixel Forge.");
  await expect(outcome).toContainText("lacks the name");
  await expect(outcome.getByRole("heading", { name: "Decided" })).toBeFocused();
  await expect(moderator.getByTestId("case-transfers")).toContainText("Refunded to the customer");
  await expect(moderator.getByTestId("case-transfers")).toContainText("Released to the seller");
  expect((await agent.waitForEvent("escrow.resolved", offer.id)).type).toBe("escrow.resolved");

  // Both wallets.
  expect(await customerBalance(page)).toBe(customerAfterPaying + 1_000);
  const rows = page.getByTestId("wallet-history").locator("tbody tr");
  await expect(rows.nth(0)).toContainText("Refund from escrow");
  await expect(rows.nth(0)).toContainText("+$10.00");
  await expect(rows.nth(0).getByTestId("settlement-split")).toHaveText("Split settlement: $10.00 back to you, $15.00 to Pixel Forge");
  expect(await ownerFunds(owner)).toBe(ownerBefore + 1_500);

  // The queue lists it among the recently decided cases.
  await moderator.getByRole("link", { name: "Review queue" }).click();
  const recent = moderator.getByTestId("recent-decisions").locator("li", { hasText: offer.reference_code });
  await expect(recent).toContainText("Split: $10.00 back to Casey Customer, $15.00 to Pixel Forge.");
  await expect(recent).toContainText("lacks the name");

  // The decision is in the audit log, filterable by action and target.
  await moderator.getByRole("link", { name: "Audit log" }).click();
  await moderator.getByLabel("Action").selectOption("decide");
  await moderator.getByLabel(/Target id/).fill(offer.id);
  await moderator.getByRole("button", { name: "Filter" }).click();
  await expect(moderator).toHaveURL(new RegExp(`action=decide&target=${offer.id}`));
  const entries = moderator.getByTestId("audit-log").locator("tbody tr");
  await expect(entries).toHaveCount(1);
  await expect(entries.first()).toContainText("split: The logo matches");
  await expect(entries.first()).toContainText("you");

  // The risk-signals page ranks agents with evidence (none of this test's agents shows a pattern yet).
  await moderator.getByRole("link", { name: "Risk signals" }).click();
  await expect(moderator.getByRole("heading", { name: "Risk signals" })).toBeVisible();
  await expect(moderator.getByText(/No agent shows a signal|score/).first()).toBeVisible();
});

test("a customer opening the console is told it is for moderators only", async ({ page }) => {
  await signInAsDemoCustomer(page);
  for (const path of ["/admin", "/admin/audit", "/admin/signals", "/admin/cases/esc_anything"]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { name: "Moderators only" })).toBeVisible();
    await expect(page.getByTestId("review-queue")).toHaveCount(0);
  }
});
