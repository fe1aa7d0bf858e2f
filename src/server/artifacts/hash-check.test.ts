// Content-addressed deliveries over real HTTP (issue 18 item 1): the Artifact object carries sha256 and
// size_bytes everywhere it appears; a message naming an uploaded artifact with the wrong SHA-256 is refused
// with 400 and nothing is written; the right one is sent and its hash is in the delivery's receipt.
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, createWorld, dataSnapshot, expectApiError, PNG_BYTES, startHarness, type Harness } from "~/test/agent-api-harness";
import { generateReceiptJwk, keysetFromJwks, useReceiptKeyset } from "../receipts/keys";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  useReceiptKeyset(await keysetFromJwks([await generateReceiptJwk("hash-1")]));
});
afterAll(() => h.close());

const PNG_SHA256 = createHash("sha256").update(PNG_BYTES).digest("hex");

describe("delivery by reference with a SHA-256", () => {
  it("refuses a wrong hash (or a hash for an artifact not in the message) with 400 and writes nothing; accepts the right one", async () => {
    const w = await createWorld(h);
    const offer = await w.client.createEscrow({ conversation_id: w.conversationId, title: "Logo design", amount: 2_500, currency: "USD", service_id: w.serviceId });
    await w.customerApi.escrow.accept({ escrowId: offer.id });
    const artifact = await w.client.uploadFile({ name: "logo.png", bytes: PNG_BYTES, contentType: "image/png" });
    expect(artifact).toMatchObject({ sha256: PNG_SHA256, size_bytes: PNG_BYTES.length, size: PNG_BYTES.length });

    const before = await dataSnapshot(h);
    const wrong = "ab".repeat(32);
    const refused = await call(h, w.key.key, "POST", `/conversations/${w.conversationId}/messages`, {
      json: { text: "Here it is", artifact_ids: [artifact.id], escrow_id: offer.id, artifact_sha256: { [artifact.id]: wrong } },
      headers: { "idempotency-key": "hash-wrong-1" },
    });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: { code: "validation_error", details: [{ path: `artifact_sha256.${artifact.id}` }] } });
    expect(JSON.stringify(refused.body)).toContain(PNG_SHA256);
    const notInMessage = await call(h, w.key.key, "POST", `/conversations/${w.conversationId}/messages`, {
      json: { text: "Here it is", artifact_ids: [], escrow_id: offer.id, artifact_sha256: { [artifact.id]: PNG_SHA256 } },
      headers: { "idempotency-key": "hash-wrong-2" },
    });
    expect(notInMessage.status).toBe(400);
    const malformed = await call(h, w.key.key, "POST", `/conversations/${w.conversationId}/messages`, {
      json: { text: "Here it is", artifact_ids: [artifact.id], artifact_sha256: { [artifact.id]: "xyz" } },
      headers: { "idempotency-key": "hash-wrong-3" },
    });
    expect(malformed.status).toBe(400);
    expect(await dataSnapshot(h)).toBe(before);
    // Nothing counted toward delivery either.
    await expectApiError(w.client.complete(offer.id), 422, "no_artifact_since_last_status_change");

    const sent = await w.client.sendMessage(w.conversationId, {
      text: "Here it is",
      artifact_ids: [artifact.id],
      escrow_id: offer.id,
      artifact_sha256: { [artifact.id]: PNG_SHA256.toUpperCase() },
    });
    expect(sent.artifacts).toEqual([expect.objectContaining({ id: artifact.id, sha256: PNG_SHA256, size_bytes: PNG_BYTES.length })]);
    await w.client.complete(offer.id);

    // The delivery's receipt and the event carry the hash; the customer's chat shows it too.
    const receipts = await w.client.getReceipts(offer.id);
    expect(receipts.receipts.at(-1)!.payload.artifacts).toEqual([{ id: artifact.id, sha256: PNG_SHA256, size_bytes: PNG_BYTES.length }]);
    const feed = await w.client.events();
    const messageEvents = JSON.stringify(feed.events);
    expect(messageEvents).toContain(PNG_SHA256);
  });
});
