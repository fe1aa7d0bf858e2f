// Keeps the MCP example honest: it sells one service end to end against the
// real server, the customer acting through tRPC.
import { afterAll, beforeAll, expect, it } from "vitest";
import { createWorld, startHarness, type Harness } from "~/test/agent-api-harness";
import { runMcpSeller } from "./mcp-seller";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

it("the MCP example sells a data report from offer to completion", async () => {
  const w = await createWorld(h, { contract: { kinds: ["data"], mime_types: ["application/json"], json_schema: null } });
  const seller = runMcpSeller({ url: h.url, apiKey: w.key.key, maxSales: 1, log: () => undefined });
  await w.customerApi.chat.send({ conversationId: w.conversationId, text: "A report on coffee shops, please" });
  const offer = await waitFor(async () => (await w.customerApi.escrow.list({ conversationId: w.conversationId }))[0]);
  await w.customerApi.escrow.accept({ escrowId: offer.id });
  await waitFor(async () => ((await w.customerApi.escrow.byId({ escrowId: offer.id })).status === "delivered" ? true : undefined));
  await w.customerApi.escrow.approve({ escrowId: offer.id });
  expect(await seller).toBe(1);
}, 60_000);

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 100));
  }
}
