// The whole purchase, as a new customer and a real agent see it: sign in by
// email (the link read from a real SMTP server on loopback), fund the wallet,
// chat, the agent offers over the agent API, accept and pay, the platform's
// "payment held" notice, an image and a JSON artifact delivered, approve —
// then the wallet's balance and history.
import { expect, test } from "@playwright/test";
import { TestAgent } from "./fixtures/agent";
import { acceptAndPay, addTestFunds, balance, openChatWith, say, saveScreenshot, signInByEmail } from "./fixtures/customer";
import { apiKeyFor, closeE2eDb } from "./fixtures/database";
import { logoPng } from "./fixtures/images";
import { mailboxForThisFile } from "./fixtures/mailbox";

const mailbox = mailboxForThisFile();
test.afterAll(() => closeE2eDb());

test("a new customer buys a logo: pays into escrow, receives an image and a JSON sheet, approves", async ({ page }) => {
  const email = `baker-${Date.now()}@example.com`;
  await signInByEmail(page, mailbox, email);
  await expect(page.getByTestId("signed-in-as")).toContainText(email.split("@")[0]!);
  const mail = await mailbox.mailTo(email);
  expect(mail.raw).toContain("Subject: Sign in to Holdfast");

  await addTestFunds(page, "100");
  await expect(balance(page)).toContainText("$100.00");

  const conversationId = await openChatWith(page, "Pixel Forge", "logo");
  await say(page, "Hi! Could you design a logo for my bakery, Crumb & Co?");

  const agent = new TestAgent(await apiKeyFor("pixel-forge"));
  const offer = await agent.offer({
    conversationId,
    title: "Logo design",
    description: "A square logo for Crumb & Co, delivered as PNG with a brand sheet.",
    amount: 2_500,
    serviceId: "svc_demologo",
  });
  const card = page.getByTestId("offer-card");
  await expect(card).toContainText("Logo design");
  await expect(card).toContainText("within 24 hours of paying");
  await acceptAndPay(card, "$25.00");

  // Only the platform says money moved: its notice, and the agent's trusted event.
  const notice = page.locator('[data-role="system"]').filter({ hasText: "You paid $25.00; Holdfast holds it in escrow." });
  await expect(notice).toBeVisible();
  await expect(notice).toContainText("Holdfast notice");
  await expect(page.getByTestId("escrow-status-label")).toHaveText("Paid — held in escrow");
  await expect(page.getByTestId("escrow-deadline")).toContainText(/Delivery due in 23 h 5\d min/);
  await agent.waitForEvent("escrow.funded", offer.id);

  const image = await agent.uploadFile("crumb-logo.png", "image/png", logoPng());
  const sheet = await agent.uploadData("brand-sheet.json", {
    brand: "Crumb & Co",
    colours: { primary: "#1f6f5c", background: "#eef6f3" },
    fonts: ["Inter"],
  });
  await agent.send(conversationId, "Here is your logo, with a brand sheet.", {
    artifactIds: [image.id, sheet.id],
    escrowId: offer.id,
  });
  expect((await agent.complete(offer.id)).status).toBe("delivered");

  await expect(page.getByTestId("escrow-status-label")).toHaveText("Delivered — your review");
  await expect(page.getByTestId("escrow-deadline")).toContainText(/Automatic release in \d/);
  const logo = page.getByRole("img", { name: /^Image from Pixel Forge: Here is your logo/ });
  await expect(logo).toBeVisible();
  await expect.poll(() => logo.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(160);
  const data = page.getByRole("group", { name: "Data: brand-sheet.json" });
  await expect(data).toContainText("“Crumb & Co”");
  await expect(data).toContainText("#1f6f5c");
  await expect(page.getByRole("link", { name: /Download brand-sheet\.json/ })).toBeVisible();
  // The README's picture: the delivered logo in the middle of the messages, the order's actions pinned above.
  await logo.evaluate((img) => img.scrollIntoView({ block: "center" }));
  await saveScreenshot(page, "chat");

  await page.getByRole("button", { name: "Approve and pay" }).click();
  await page.getByRole("button", { name: "Yes, release $25.00" }).click();
  await expect(page.getByText("You approved the delivery. $25.00 was released to Pixel Forge.")).toBeVisible();
  await expect(page.getByTestId("offer-card")).toContainText("Completed");
  expect((await agent.escrow(offer.id)).status).toBe("completed");

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Wallet" }).click();
  await expect(balance(page)).toContainText("$75.00");
  const rows = page.getByTestId("wallet-history").locator("tbody tr");
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText("Paid into escrow");
  await expect(rows.nth(0)).toContainText(`Logo design (ref ${offer.reference_code})`);
  await expect(rows.nth(0)).toContainText("−$25.00");
  await expect(rows.nth(1)).toContainText("Test funds added");
  await expect(rows.nth(1)).toContainText("+$100.00");
  await saveScreenshot(page, "wallet");

  // The history links to the order, which lives in its chat.
  await rows.nth(0).getByRole("link").click();
  await expect(page).toHaveURL(new RegExp(`/c/${conversationId}$`));

  // On a phone the chat fits the screen: no sideways scrolling, the image scaled down.
  await page.setViewportSize({ width: 375, height: 740 });
  await expect(page.getByRole("img", { name: /^Image from Pixel Forge: Here is your logo/ })).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  await page.getByRole("img", { name: /^Image from Pixel Forge: Here is your logo/ }).scrollIntoViewIfNeeded();
  await saveScreenshot(page, "chat-mobile", { fullPage: false });
  await page.setViewportSize({ width: 1280, height: 720 });

  await page.goto("/orders");
  const order = page.getByTestId("order");
  await expect(order).toContainText("Completed");
  await expect(order).toContainText("Pixel Forge was paid $25.00.");

  // The approved order now counts in the agent's public track record (other specs add theirs too).
  await page.goto("/agents/pixel-forge");
  const record = page.getByRole("region", { name: "Track record" });
  const finished = record.getByRole("definition").first();
  await expect(record.getByRole("term").first()).toHaveText("Finished orders");
  expect(Number(await finished.textContent())).toBeGreaterThanOrEqual(1);

  // Signing out ends the database session: the wallet asks to sign in again.
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("navigation", { name: "Main" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Sign in", exact: true }).first()).toBeVisible();
  await page.goto("/wallet");
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fwallet$/);
});

test("artifacts are only served to people who may see them", async ({ page, request }) => {
  const anonymous = await request.get("/api/artifacts/art_doesnotexist");
  expect(anonymous.status()).toBe(401);
  const email = `stranger-${Date.now()}@example.com`;
  await signInByEmail(page, mailbox, email);
  const response = await page.request.get("/api/artifacts/art_doesnotexist");
  expect(response.status()).toBe(404);
});
