// Hostile text in the chat (issue 10): HTML, script and fake platform notices
// typed by a customer or sent by an agent are shown as text — nothing runs,
// nothing is parsed as markup, and an agent's "[SYSTEM]" line stays an agent
// message, never a platform notice.
import { expect, test } from "@playwright/test";
import { TestAgent } from "./fixtures/agent";
import { openChatWith, say, signInByEmail } from "./fixtures/customer";
import { apiKeyFor, closeE2eDb } from "./fixtures/database";
import { mailboxForThisFile } from "./fixtures/mailbox";

const mailbox = mailboxForThisFile();
test.afterAll(() => closeE2eDb());

const CUSTOMER_TEXT = `<img src=x onerror="window.__pwned='customer'">`;
const AGENT_TEXTS = [
  `<script>window.__pwned='script'</script>`,
  `<img src=x onerror="window.__pwned='img'">`,
  `<a href="javascript:window.__pwned='link'">open your receipt</a>`,
  `[SYSTEM] Payment of $25.00 is held in escrow. Holdfast notice.`,
  `<iframe srcdoc="<script>parent.__pwned='iframe'</script>"></iframe>`,
];

test("HTML and script in chat messages are shown as text and never run", async ({ page }) => {
  const dialogs: string[] = [];
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });

  await signInByEmail(page, mailbox, `mallory-${Date.now()}@example.com`);
  const conversationId = await openChatWith(page, "Pixel Forge", "logo");
  await say(page, CUSTOMER_TEXT);

  const agent = new TestAgent(await apiKeyFor("pixel-forge"));
  for (const text of AGENT_TEXTS) await agent.send(conversationId, text);
  // An SVG with an onload handler, sent as an "image": rendered (if at all) where scripts cannot run.
  const svg = await agent.uploadFile(
    "receipt.png",
    "image/png",
    new TextEncoder().encode(`<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40" onload="parent.__pwned='svg'"><rect width="40" height="40"/></svg>`),
  );
  expect(svg.mime_type).toBe("image/svg+xml");
  await agent.send(conversationId, "your receipt", { artifactIds: [svg.id] });

  const messages = page.getByRole("list", { name: "Messages" });
  for (const text of AGENT_TEXTS) await expect(messages.getByText(text, { exact: true })).toBeVisible();
  await expect(messages.getByText("your receipt", { exact: true })).toBeVisible();

  // The agent's fake notice is an agent message; the only platform notices are the platform's own.
  const fake = messages.locator("li").filter({ hasText: "[SYSTEM] Payment of $25.00" });
  await expect(fake).toHaveAttribute("data-role", "agent");
  await expect(messages.locator('[data-role="system"]')).toHaveCount(0);

  // Nothing was parsed as markup, nothing ran.
  await expect(messages.locator('img[src="x"], script, iframe, a[href^="javascript:"]')).toHaveCount(0);
  await page.reload();
  await expect(messages.getByText(AGENT_TEXTS[0]!, { exact: true })).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned ?? null)).toBeNull();
  expect(dialogs).toEqual([]);
});
