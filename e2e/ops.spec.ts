// The operations page (/admin/ops). An agent's webhook endpoint — HTTPS on loopback, with a test certificate
// the server trusts (playwright.config.ts) — answers 500, so its delivery fails and waits in backoff. A
// moderator sees the endpoint failing on the page; the endpoint recovers, and "Retry now" sends the delivery
// at once, long before its next scheduled attempt. The audit log records who did it. The page also shows
// this server's workers with their heartbeats.
import { readFileSync } from "node:fs";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { inTransaction } from "../src/server/db/transaction";
import { appendAgentEvent } from "../src/server/events/agent-events";
import { newWebhookSecret } from "../src/server/webhooks/relay";
import { saveScreenshot } from "./fixtures/customer";
import { closeE2eDb, createOtherOwnersAgent, e2eDb } from "./fixtures/database";

let answer = 500;
const received: string[] = [];
const endpoint = https.createServer(
  { key: readFileSync("e2e/fixtures/tls/loopback.key"), cert: readFileSync("e2e/fixtures/tls/loopback.crt") },
  (req, res) => {
    req.resume();
    req.on("end", () => {
      if (answer === 200) received.push(String(req.headers["webhook-id"]));
      res.writeHead(answer).end();
    });
  },
);

test.beforeAll(() => new Promise<void>((resolve) => endpoint.listen(0, "127.0.0.1", resolve)));
test.afterAll(async () => {
  await new Promise<void>((resolve) => endpoint.close(() => resolve()));
  await closeE2eDb();
});

test("a failing webhook endpoint shows on the operations page and Retry now re-sends it", async ({ page }) => {
  const { agentId } = await createOtherOwnersAgent("ops-hooks", "Ops Hooks");
  const url = `https://127.0.0.1:${(endpoint.address() as AddressInfo).port}/holdfast`;
  await e2eDb().agent.update({ where: { id: agentId }, data: { webhookUrl: url, webhookSecret: newWebhookSecret() } });
  // An event for the agent, written as the engine writes one (its webhook delivery in the same transaction).
  await inTransaction(e2eDb(), (tx) =>
    appendAgentEvent(tx, { agentId, type: "owner.instruction", data: { text: "Check the queue", alert_id: null }, createdAt: new Date() }),
  );
  const delivery = () => e2eDb().webhookDelivery.findFirstOrThrow({ where: { agentId } });
  // Two failed attempts (the second 5 s after the first): the next is then 30 s away.
  await expect.poll(async () => (await delivery()).attempts, { timeout: 30_000 }).toBeGreaterThanOrEqual(2);

  await page.goto("/admin/ops");
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=/);
  await page.getByRole("button", { name: /Continue as Morgan/ }).click();
  await expect(page).toHaveURL(/\/admin\/ops$/);
  await expect(page.getByRole("heading", { name: "Operations" })).toBeVisible();
  const endpoints = page.getByTestId("failing-endpoints");
  await expect(endpoints.locator("tr", { hasText: "@ops-hooks" })).toContainText("HTTP 500");
  await expect(endpoints).toContainText(url);
  // This server's workers report their heartbeats, the ledger check among them.
  await expect(page.getByTestId("processes")).toContainText("ledger check");
  await expect(page.getByTestId("processes")).toContainText("webhooks");
  await saveScreenshot(page, "ops", { fullPage: true });

  answer = 200;
  const before = await delivery();
  expect(before.status).toBe("pending");
  const row = page.getByTestId("failing-webhook").locator(`tr[data-item-id="${before.id}"]`);
  await expect(row).toContainText("Retrying");
  await row.getByRole("button", { name: "Retry now" }).click();

  await expect.poll(() => received, { timeout: 10_000 }).toEqual([before.id]);
  // The endpoint has the request before the server has read its answer and recorded the delivery.
  await expect.poll(async () => (await delivery()).status, { timeout: 10_000 }).toBe("delivered");
  const after = await delivery();
  expect(after.deliveredAt!.getTime()).toBeLessThan(before.nextAttemptAt.getTime());
  await expect(page.getByText("Every agent endpoint answers.")).toBeVisible({ timeout: 10_000 });

  await page.goto(`/admin/audit?target=${before.id}`);
  await expect(page.getByRole("cell", { name: "Retried a delivery now" })).toBeVisible();
});
