// The owner loop in the browser: the demo owner creates an agent (its API key is shown once), adds a
// service with an artifact contract, adds an alert address (verified with the code mailed to it) and
// sends a test, then the agent (over the agent API, with that key) asks for help; the alert is in the
// inbox and in that mailbox (a real SMTP server on loopback) with a link into the console; the owner
// replies there, and the reply reaches the agent's feed as a trusted owner.instruction.
import { expect, test } from "@playwright/test";
import { HoldfastClient } from "../src/client";
import { mailboxForThisFile } from "./fixtures/mailbox";
import { E2E_BASE_URL } from "./fixtures/stack";

const mailbox = mailboxForThisFile();

test("an owner creates an agent, adds a service, sets up a channel, and answers an alert from the console", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByRole("button", { name: /Continue as Olivia/ }).click();
  await expect(page.getByTestId("signed-in-as")).toContainText("Olivia");
  await page.getByRole("link", { name: "Owner", exact: true }).click();
  // The console opens on its alerts; each section has its own address, reached from the section nav.
  await expect(page).toHaveURL(/\/owner\/alerts$/);
  await expect(page.getByRole("heading", { level: 1, name: "Alerts" })).toBeVisible();
  await page.getByRole("navigation", { name: "Owner console" }).getByRole("link", { name: "Agents" }).click();
  await expect(page).toHaveURL(/\/owner\/agents$/);

  // Create an agent: the key is shown once.
  const handle = `sketch-${Date.now().toString(36)}`;
  await page.getByLabel("Handle").fill(handle);
  await page.getByLabel("Display name").fill("Sketch Bot");
  await page.getByRole("button", { name: "Create agent" }).click();
  const keyBox = page.getByTestId("new-api-key");
  await expect(keyBox).toBeVisible();
  const apiKey = (await keyBox.textContent())!.trim();
  expect(apiKey).toMatch(/^hfk_/);
  await page.getByRole("button", { name: "I saved it" }).click();
  await expect(keyBox).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId(`agent-${handle}`)).toBeVisible();
  expect(await page.content()).not.toContain(apiKey);
  // Its record and risk tier, as the engine applies them: new, with the new tier's caps and held payouts.
  const record = page.getByTestId(`agent-${handle}`).getByTestId("agent-record");
  await expect(record).toContainText("No finished orders yet.");
  await expect(record).toContainText("Risk tier: New. Not yet enough paid orders from different customers, over enough time.");
  await expect(record).toContainText("Offers up to $250.00 each and $1,000.00 open at once; released money is held");
  await expect(record.getByTestId("tier-reasons")).toContainText("Next tier — not yet: 0 of 3 qualifying buyers");

  // The key works on the agent API.
  const agent = new HoldfastClient({ baseUrl: E2E_BASE_URL, apiKey, validate: true });
  expect((await agent.me()).handle).toBe(handle);

  // Add a service with an artifact contract.
  const card = page.getByTestId(`agent-${handle}`);
  await card.getByRole("button", { name: "Add service" }).click();
  const form = card.getByRole("form", { name: "New service" });
  await form.getByLabel("Service title").fill("Pencil sketch");
  await form.getByLabel("Price (USD)").fill("15");
  await form.getByLabel("Delivery (hours)").fill("12");
  await form.getByLabel("image").check();
  await form.getByLabel("Allowed MIME types (comma-separated)").fill("image/png");
  await form.getByRole("button", { name: "Save service" }).click();
  await expect(card.getByRole("list", { name: `Catalog of @${handle}` })).toContainText("Pencil sketch");
  const services = await agent.listServices();
  expect(services.data).toEqual([expect.objectContaining({ title: "Pencil sketch", price: 1500, delivery_in_hours: 12, artifact_contract: expect.objectContaining({ kinds: ["image"], mime_types: ["image/png"] }) })]);

  // Send alerts to another address: it gets a code first (from the real mailbox), and alerts only once
  // the code is entered; then a test goes through the outbox.
  await page.getByRole("navigation", { name: "Owner console" }).getByRole("link", { name: "Channels" }).click();
  const alertsAddress = `alerts-${handle}@demo.holdfast.dev`;
  await page.getByLabel("Alert email address").fill(alertsAddress);
  await page.getByRole("button", { name: "Use this address" }).click();
  const emailChannel = page.getByTestId("channel-email");
  await expect(emailChannel).toContainText(`We sent a 6-digit code to ${alertsAddress}`);
  await expect(emailChannel.getByRole("button", { name: "Send test" })).toBeVisible(); // the account address still works meanwhile
  const codeMail = await mailbox.mailTo(alertsAddress, 20_000);
  const code = /code is (\d{6})/.exec(codeMail.raw.replace(/=\r?\n/g, ""))?.[1];
  expect(code).toMatch(/^\d{6}$/);
  await page.getByLabel("Verification code for Email").fill(code!);
  await emailChannel.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Email is verified" })).toBeVisible();
  await expect(emailChannel).not.toContainText("We sent a 6-digit code");
  await expect(emailChannel).toContainText(alertsAddress);
  await emailChannel.getByRole("button", { name: "Send test" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Test message queued for Email" })).toBeVisible();
  await expect(page.getByTestId("delivery-log").getByRole("row").filter({ hasText: "Holdfast test message" }).first()).toContainText("sent", { timeout: 20_000 });

  // The agent asks its owner; the alert arrives in the inbox and by email, with a link into the console.
  const alert = await agent.notifyOwner({ reason: "other", title: "May I offer a rush delivery?", message: "A customer wants it in 2 hours for double the price.", severity: "warning" });
  await page.goto("/owner/alerts");
  const inboxAlert = page.getByTestId("alert").filter({ hasText: "May I offer a rush delivery?" });
  await expect(inboxAlert).toBeVisible({ timeout: 15_000 });
  await expect
    .poll(() => mailbox.received.some((m) => m.to.includes(alertsAddress) && m.raw.replace(/=\r?\n/g, "").includes(`/owner/alerts/${alert.id}`)), { timeout: 20_000 })
    .toBe(true);

  // Reply from the console (on the alert's own page, as the email link opens it).
  await page.goto(`/owner/alerts/${alert.id}`);
  await page.getByLabel("Reply to the agent").fill("Yes, rush is fine at double the price.");
  await page.getByRole("button", { name: "Send reply" }).click();
  await expect(page.getByText("Sent to the agent.")).toBeVisible();
  await expect(page.getByText("You (console): Yes, rush is fine at double the price.")).toBeVisible();

  // The reply reaches the agent's feed as a trusted owner.instruction.
  const feed = await agent.events();
  expect(feed.events.filter((e) => e.type === "owner.instruction")).toEqual([
    expect.objectContaining({ trusted: true, data: { text: "Yes, rush is fine at double the price.", alert_id: alert.id } }),
  ]);
});
