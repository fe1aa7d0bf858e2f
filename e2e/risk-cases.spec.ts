// Signals that act (issue 17): an owner buys from its own agent, twice, with the same file delivered —
// the second payout is held until a moderator reviews the agent. The owner's console says so in plain
// words; a moderator opens the agent's case from the review queue, reads the evidence, the payouts held
// and the escrows involved, and decides with a note that the audit log shows. "Restrict": the owner is
// told a moderator restricted the agent and how long payouts wait. "Clear": the payouts follow the normal
// hold of a new agent again. Each test has its own owner and agent (never the shared demo agents).
import { expect, test, type Browser, type Page } from "@playwright/test";
import { TestAgent } from "./fixtures/agent";
import { signInByEmail } from "./fixtures/customer";
import { closeE2eDb, createOtherOwnersAgent } from "./fixtures/database";
import { logoPng } from "./fixtures/images";
import { mailboxForThisFile } from "./fixtures/mailbox";
import { contextAs, trpcMutation } from "./fixtures/roles";

const mailbox = mailboxForThisFile();
test.afterAll(closeE2eDb);

/** An owner signed in on its console, whose agent it bought from twice: the second payout held for review. */
async function selfDealingOwner(browser: Browser, handle: string, name: string): Promise<{ owner: Page; agentId: string }> {
  const { agentId, apiKey } = await createOtherOwnersAgent(handle, name);
  const email = `${handle.replace(/[^a-z0-9]/g, "")}@owners.holdfast.test`;
  const owner = await (await browser.newContext()).newPage();
  await signInByEmail(owner, mailbox, email, "/owner/earnings");
  await trpcMutation(owner, "wallet.addTestFunds", { amount: 10_000, currency: "USD" });
  const { conversationId } = await trpcMutation<{ conversationId: string }>(owner, "chat.open", { agentHandle: handle });
  const agent = new TestAgent(apiKey);
  const png = logoPng();
  for (const title of ["Icon one", "Icon two"]) {
    const offer = await agent.offer({ conversationId, title, description: "One icon.", amount: 2_000 });
    await trpcMutation(owner, "escrow.accept", { escrowId: offer.id });
    const file = await agent.uploadFile("icon.png", "image/png", png);
    await agent.send(conversationId, "Here it is.", { artifactIds: [file.id], escrowId: offer.id });
    await agent.complete(offer.id);
    await trpcMutation(owner, "escrow.approve", { escrowId: offer.id });
  }
  return { owner, agentId };
}

/** The owner's "Why payouts are held" section, for this agent. */
function heldFor(owner: Page, name: string) {
  return owner.getByTestId("held-payouts").locator("div").filter({ has: owner.getByRole("heading", { name }) });
}

/** From the review queue to the agent's case on the signals page, checking what the moderator is shown. */
async function openCaseFromQueue(moderator: Page, agentId: string, name: string) {
  await moderator.goto("/admin");
  const queueEntry = moderator.getByTestId("agent-cases").getByRole("listitem").filter({ hasText: name });
  await expect(queueEntry).toContainText("Payouts are held until a moderator reviews this agent's recent sales.");
  await expect(queueEntry).toContainText("2 payouts held.");
  await queueEntry.getByRole("link", { name: `Review and decide the case of ${name}` }).click();
  await expect(moderator).toHaveURL(new RegExp(`/admin/signals#agent-${agentId}$`));
  const entry = moderator.locator(`[id="agent-${agentId}"]`);
  // The evidence, the action, the payouts held and the escrows involved.
  await expect(entry.getByText("Buys from itself")).toBeVisible();
  await expect(entry).toContainText("2 purchase(s) paid by the agent's own owner");
  await expect(entry).toContainText("Same file on many orders");
  await expect(entry.getByTestId("agent-case-action")).toHaveText(
    "Signal open. Payouts are held until a moderator reviews this agent's recent sales.",
  );
  await expect(entry.getByTestId("agent-case")).toContainText("(until review)");
  await expect(entry.getByTestId("agent-case").getByRole("link")).toHaveCount(2); // the two escrows involved
  return entry;
}

async function decide(entry: ReturnType<Page["locator"]>, decision: RegExp, note: string) {
  await entry.getByRole("radio", { name: decision }).check();
  await entry.getByRole("button", { name: "Record the decision" }).click();
  await expect(entry.getByText("Write a note: every decision on an agent case is on the record.")).toBeVisible();
  await entry.getByLabel("Note (for the audit log)").fill(note);
  await entry.getByRole("button", { name: "Record the decision" }).click();
  await expect(entry.getByTestId("agent-case")).toContainText("No open signal: nothing is held because of it.");
}

async function auditRow(moderator: Page, entry: ReturnType<Page["locator"]>, action: string, note: string) {
  await entry.getByRole("link", { name: "Moderation history of this agent" }).click();
  const row = moderator.getByTestId("audit-log").getByRole("row").filter({ hasText: note });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(action);
}

test("restrict: the moderator decides from the agent case, the audit log shows it, the owner is told why payouts wait", async ({ browser }) => {
  const name = "Risk Case Restrict";
  const { owner, agentId } = await selfDealingOwner(browser, "risk-case-restrict", name);

  // The owner sees the hold and why, in plain words, before anyone has looked.
  await owner.goto("/owner/earnings");
  const held = heldFor(owner, name);
  await expect(held).toContainText("Payouts are held until a moderator reviews this agent's recent sales. What we saw:");
  await expect(held).toContainText("purchase(s) paid by the agent's own owner");
  await expect(held.getByRole("listitem").filter({ hasText: "Held until a moderator has reviewed this agent's recent sales." })).toHaveCount(1);
  // …and that the open signal keeps the agent from a higher tier.
  await owner.goto("/owner/agents");
  await expect(owner.getByTestId("tier-reasons")).toContainText("An open risk signal on this agent keeps it from a higher tier (at most new) until a moderator reviews its recent sales.");

  const { page: moderator } = await contextAs(browser, "moderator", "desktop");
  const entry = await openCaseFromQueue(moderator, agentId, name);
  await decide(entry, /Restrict the agent/, "Buys from itself to build a record.");
  await auditRow(moderator, entry, "Restricted an agent", "restrict (signal score 65): Buys from itself to build a record.");

  await owner.reload();
  await expect(owner.getByTestId("tier-reasons")).toContainText("A moderator set this tier.");
  await owner.goto("/owner/earnings");
  await expect(held).toContainText(
    "A moderator restricted this agent after reviewing its recent sales: its payouts wait 7 days before they reach your wallet, and its orders are capped lower.",
  );
  await expect(held.getByRole("listitem").filter({ hasText: "payouts of restricted agents wait before they reach your wallet." })).toHaveCount(2);
  await expect(held).not.toContainText("until a moderator has reviewed");
});

test("clear: the held payouts follow a new agent's normal hold again, and the owner sees it", async ({ browser }) => {
  const name = "Risk Case Clear";
  const { owner, agentId } = await selfDealingOwner(browser, "risk-case-clear", name);
  await owner.goto("/owner/earnings");
  const held = heldFor(owner, name);
  await expect(held.getByRole("listitem").filter({ hasText: "Held until a moderator has reviewed this agent's recent sales." })).toHaveCount(1);

  const { page: moderator } = await contextAs(browser, "moderator", "desktop");
  const entry = await openCaseFromQueue(moderator, agentId, name);
  await decide(entry, /Clear the signal/, "The owner tested its own agent.");
  await auditRow(moderator, entry, "Cleared an agent's risk signal", "clear (signal score 65): The owner tested its own agent.");

  await owner.reload();
  await expect(held.getByRole("listitem").filter({ hasText: "payouts of new agents wait before they reach your wallet." })).toHaveCount(2);
  await expect(held).not.toContainText("until a moderator");
  await expect(held).not.toContainText("What we saw");
  // Cleared: the tier is judged on the record again (its own purchases do not count toward the next tier).
  await owner.goto("/owner/agents");
  await expect(owner.getByTestId("tier-reasons")).toContainText("Next tier — not yet:");
  await expect(owner.getByTestId("tier-reasons")).not.toContainText("open risk signal");
});
