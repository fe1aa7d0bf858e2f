// Receipts over real HTTP (issue 18): GET /escrows/{id}/receipts for the escrow's parties only (the same 404
// as GET /escrows/{id} for anyone else), the MCP tool, and /.well-known/jwks.json — a third party fetches the
// chain and the JWKS and verifies offline.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyReceiptChain, type Escrow, type Jwks } from "~/client";
import { createWorld, call, PNG_BYTES, startHarness, type Harness, type World } from "~/test/agent-api-harness";
import { serveFetchHandler } from "../agent-api/node-server";
import { jwksResponse } from "./jwks-route";
import { generateReceiptJwk, keysetFromJwks, useReceiptKeyset, type ReceiptKeyset } from "./keys";

let h: Harness;
let jwksServer: { url: string; close(): Promise<void> };
let keyset: ReceiptKeyset;
beforeAll(async () => {
  h = await startHarness();
  keyset = await keysetFromJwks([await generateReceiptJwk("http-1")]);
  useReceiptKeyset(keyset);
  jwksServer = await serveFetchHandler(() => jwksResponse());
});
afterAll(async () => {
  await jwksServer.close();
  await h.close();
});

async function deliveredEscrow(w: World): Promise<Escrow> {
  const offer = await w.client.createEscrow({ conversation_id: w.conversationId, title: "Logo design", amount: 2_500, currency: "USD", service_id: w.serviceId });
  await w.customerApi.escrow.accept({ escrowId: offer.id });
  const artifact = await w.client.uploadFile({ name: "logo.png", bytes: PNG_BYTES, contentType: "image/png" });
  await w.client.sendMessage(w.conversationId, { text: "Here is your logo.", artifact_ids: [artifact.id], escrow_id: offer.id });
  return w.client.complete(offer.reference_code);
}

async function fetchJwks(): Promise<Jwks> {
  const response = await fetch(`${jwksServer.url}/.well-known/jwks.json`);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toContain("application/jwk-set+json");
  return (await response.json()) as Jwks;
}

describe("GET /escrows/{id}/receipts", () => {
  it("answers the whole chain, sealed on demand, and it verifies against the published JWKS", async () => {
    const w = await createWorld(h);
    const escrow = await deliveredEscrow(w);
    // Nothing sealed yet (no worker runs here): the endpoint seals the tail before answering.
    expect(await h.tdb.db.escrowReceipt.count({ where: { escrowId: escrow.id } })).toBe(0);
    const chain = await w.client.getReceipts(escrow.reference_code);
    expect(chain.escrow_id).toBe(escrow.id);
    expect(chain.receipts.map((r) => [r.seq, r.payload.state, r.payload.command])).toEqual([
      [1, "pending", "offer"],
      [2, "active", "accept"],
      [3, "delivered", "complete"],
    ]);
    const png = await h.tdb.db.artifact.findFirstOrThrow({ where: { message: { escrowId: escrow.id } } });
    expect(chain.receipts[2]!.payload.artifacts).toEqual([{ id: png.id, sha256: png.sha256, size_bytes: PNG_BYTES.length }]);
    const jwks = await fetchJwks();
    expect(jwks.keys).toEqual([expect.objectContaining({ kid: "http-1", kty: "OKP", crv: "Ed25519", alg: "EdDSA" })]);
    expect(JSON.stringify(jwks)).not.toContain('"d"');
    expect(await verifyReceiptChain(chain.receipts, jwks)).toMatchObject({ ok: true });

    // Later transitions extend the same chain; old receipts are unchanged.
    await w.customerApi.escrow.approve({ escrowId: escrow.id });
    const longer = await w.client.getReceipts(escrow.id);
    expect(longer.receipts.slice(0, 3)).toEqual(chain.receipts);
    expect(longer.receipts[3]!.payload).toMatchObject({ seq: 4, state: "completed", command: "approve", prev: chain.receipts[2]!.sha256 });
    expect(await verifyReceiptChain(longer.receipts, jwks)).toMatchObject({ ok: true });
  });

  it("another agent's escrow, or none, is 404 with nothing leaked; no key is 401", async () => {
    const w = await createWorld(h);
    const stranger = await createWorld(h);
    const escrow = await deliveredEscrow(w);
    for (const ref of [escrow.id, escrow.reference_code]) {
      const other = await call(h, stranger.key.key, "GET", `/escrows/${ref}/receipts`);
      expect(other.status).toBe(404);
      expect(JSON.stringify(other.body)).not.toContain(escrow.id);
      expect(JSON.stringify(other.body)).not.toContain("jws");
    }
    expect((await call(h, w.key.key, "GET", "/escrows/esc_nope/receipts")).status).toBe(404);
    expect((await call(h, null, "GET", `/escrows/${escrow.id}/receipts`)).status).toBe(401);
    // The failed probes sealed nothing for the stranger to see later either way; the owner still can.
    expect((await call(h, w.key.key, "GET", `/escrows/${escrow.id}/receipts`)).status).toBe(200);
  });

  it("is the MCP tool get_receipts", async () => {
    const w = await createWorld(h);
    const escrow = await deliveredEscrow(w);
    const response = await fetch(`${h.url}/api/mcp`, {
      method: "POST",
      headers: { authorization: `Bearer ${w.key.key}`, "content-type": "application/json", accept: "application/json, text/event-stream" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "get_receipts", arguments: { escrow: escrow.id } } }),
    });
    const text = await response.text();
    expect(text).toContain("jws");
    const json = JSON.parse(text.startsWith("{") ? text : text.slice(text.indexOf("{"), text.lastIndexOf("}") + 1)) as {
      result: { content: { text: string }[] };
    };
    const body = JSON.parse(json.result.content[0]!.text) as { receipts: { jws: string }[] };
    expect(await verifyReceiptChain(body.receipts, await fetchJwks())).toMatchObject({ ok: true });
  });
});
