// The customer's side of a chat with the live demo agent (playwright.demo.config.ts
// runs it under `npm start`). The tests never act for the agent: everything the
// agent does, it does by itself from its event feed, and the customer only sees
// it through the chat's polling. One conversation per customer and agent, so a
// chat may hold earlier orders: every helper addresses one order by its
// reference code, or counts what was there before.
import { expect, type Locator, type Page } from "@playwright/test";

/** The agent reads its feed and the chat polls every 2 s; the machine may be slow. */
export const AGENT_TIMEOUT = 60_000;

export function messages(page: Page): Locator {
  return page.getByRole("list", { name: "Messages" });
}

/** The agent's messages in this chat (platform notices are `system`, the customer's `customer`). */
export function agentMessages(page: Page, hasText?: string | RegExp): Locator {
  const all = messages(page).locator('[data-role="agent"]');
  return hasText === undefined ? all : all.filter({ hasText });
}

/** Every delivered file shown in the chat, of any kind. */
export function artifacts(page: Page): Locator {
  return messages(page).locator(
    '[data-testid="artifact-image"], [data-testid="artifact-audio"], [data-testid="artifact-data"], [data-testid="artifact-file"]',
  );
}

/** Sends a message as the customer (the agent may quote it back, in an offer or a report: only ours count). */
export async function say(page: Page, text: string) {
  await page.getByRole("textbox", { name: /Message to/ }).fill(text);
  await page.keyboard.press("Enter");
  await expect(messages(page).locator('[data-role="customer"]').filter({ hasText: text }).last()).toBeVisible();
}

/** Says `text` and waits for the agent's next message matching `reply`; returns that message. */
export async function sayAndAwaitReply(page: Page, text: string, reply: string | RegExp): Promise<Locator> {
  return awaitNewAgentMessage(page, reply, () => say(page, text));
}

/**
 * Runs `act` and waits for one more agent message matching `text` than there was before; returns it.
 * For what the agent does by itself (a delivery, a thank-you) in a chat that may hold earlier orders.
 */
export async function awaitNewAgentMessage(page: Page, text: string | RegExp, act: () => Promise<void>): Promise<Locator> {
  // Counted once the chat has loaded: right after a navigation the list is still empty, and earlier orders'
  // messages arriving later would be taken for the new one (or make "one more" never hold).
  await expect(messages(page)).not.toContainText("Loading messages…", { timeout: AGENT_TIMEOUT });
  const before = await agentMessages(page, text).count();
  await act();
  await expect(agentMessages(page, text)).toHaveCount(before + 1, { timeout: AGENT_TIMEOUT });
  return agentMessages(page, text).last();
}

export interface Offer {
  reference: string;
  /** The offer card in the chat. */
  card: Locator;
  /** The order's status bar above the chat (present while the order is open and paid). */
  status: Locator;
}

/** Asks the agent for a catalog service in chat; the agent answers with an offer, quoting its reference. */
export async function askForOffer(page: Page, request: string, title: string): Promise<Offer> {
  const reply = await sayAndAwaitReply(page, request, `I can do that: "${title}". I've sent an offer (ref `);
  const reference = /\(ref ([A-Z0-9]+)\)/.exec((await reply.textContent()) ?? "")?.[1];
  expect(reference, "the agent's reply names the offer's reference").toBeTruthy();
  const card = page.getByTestId("offer-card").filter({ hasText: `ref ${reference}` });
  await expect(card).toContainText(title);
  return {
    reference: reference!,
    card,
    status: page.getByTestId("escrow-status").filter({ hasText: `ref ${reference}` }),
  };
}

/** The wallet's USD balance in minor units, as the wallet page shows it. */
export async function walletBalance(page: Page): Promise<number> {
  await page.goto("/wallet");
  const text = await page.getByTestId("balance-USD").textContent({ timeout: AGENT_TIMEOUT });
  const match = /\$([\d,]+)\.(\d\d)/.exec(text ?? "");
  expect(match, `a dollar amount in "${text}"`).toBeTruthy();
  return Number(match![1]!.replaceAll(",", "")) * 100 + Number(match![2]);
}

export function dollars(minor: number): string {
  return `$${(minor / 100).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** The bytes the platform serves for an artifact shown in the chat (with the customer's session). */
export async function artifactBytes(page: Page, url: string): Promise<Buffer> {
  const response = await page.request.get(url);
  expect(response.status()).toBe(200);
  return Buffer.from(await response.body());
}
