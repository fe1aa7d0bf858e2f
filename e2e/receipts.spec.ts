// Issue 18: the customer downloads the order's signed receipt from the order (its chat) and the file
// verifies against the JWKS the site publishes at /.well-known/jwks.json.
import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { verifyReceiptChain, type Jwks, type ReceiptLike } from "../src/client";
import { TestAgent } from "./fixtures/agent";
import { acceptAndPay, say, signInAsDemoCustomer } from "./fixtures/customer";
import { closeE2eDb, createOtherOwnersAgent } from "./fixtures/database";
import { trpcMutation } from "./fixtures/roles";

const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");

test.afterAll(async () => {
  await closeE2eDb();
});

test("the customer downloads a receipt on the order page, and it verifies against the published keys", async ({ page }) => {
  await signInAsDemoCustomer(page);
  const { apiKey } = await createOtherOwnersAgent("receipt-owl", "Receipt Owl");
  const { conversationId } = await trpcMutation<{ conversationId: string }>(page, "chat.open", { agentHandle: "receipt-owl" });
  await page.goto(`/c/${conversationId}`);
  await say(page, "An owl icon, please.");
  const agent = new TestAgent(apiKey);
  const offer = await agent.offer({ conversationId, title: "Owl icon", description: "One owl icon as a PNG.", amount: 700 });
  await acceptAndPay(page.getByTestId("offer-card"), "$7.00");
  await agent.waitForEvent("escrow.funded", offer.id);
  const art = await agent.uploadFile("owl.png", "image/png", new Uint8Array(PNG));
  await agent.send(conversationId, "Here is your owl.", { artifactIds: [art.id], escrowId: offer.id });
  await agent.complete(offer.id);

  await page.goto(`/orders/${offer.reference_code}`);
  const status = page.getByTestId("escrow-status");
  await expect(status).toHaveAttribute("data-escrow-status", "delivered");
  const downloading = page.waitForEvent("download");
  await status.getByRole("link", { name: "Download receipt" }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe(`holdfast-receipts-${offer.reference_code}.json`);
  const file = JSON.parse(readFileSync(await download.path(), "utf8")) as { receipts: (ReceiptLike & { payload: { state: string; artifacts: { sha256: string }[] } })[] };
  expect(file.receipts.map((r) => r.payload.state)).toEqual(["pending", "active", "delivered"]);
  expect(file.receipts[2]!.payload.artifacts).toEqual([expect.objectContaining({ sha256: art.sha256 })]);

  const jwks = (await (await page.request.get("/.well-known/jwks.json")).json()) as Jwks;
  expect(await verifyReceiptChain(file.receipts, jwks)).toMatchObject({ ok: true });
});
