// Authorization over real HTTP, for every endpoint: another agent's key gets
// 404 for this agent's objects and changes nothing; a missing, unknown or
// revoked key, a suspended agent and a suspended owner get 401.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { revokeAgentApiKey, issueAgentApiKey } from "../auth/api-keys";
import { callerFor } from "../api/root";
import { addTestFunds } from "../ledger/wallet";
import { OPERATIONS } from "./operations";
import { accessChange, call, createWorld, dataSnapshot, PNG_BYTES, startHarness, type Harness, type World } from "~/test/agent-api-harness";

let h: Harness;
let a: World;
let b: World;
let escrowId: string;
let referenceCode: string;
let settlementId: string;
let artifactId: string;
/** Agent A as a buyer: a funded purchase from a third agent's catalog. */
let seller: World;
let purchaseId: string;
let purchaseConversationId: string;

beforeAll(async () => {
  h = await startHarness();
  a = await createWorld(h);
  b = await createWorld(h);
  // Agent A: an escrow in negotiating with an open customer proposal, and an unsent artifact.
  const escrow = await a.client.createEscrow({ conversation_id: a.conversationId, title: "Logo", amount: 2_500, currency: "USD", service_id: a.serviceId });
  escrowId = escrow.id;
  referenceCode = escrow.reference_code;
  await a.customerApi.escrow.accept({ escrowId });
  const art = await a.client.uploadFile({ name: "logo.png", bytes: PNG_BYTES });
  await a.client.sendMessage(a.conversationId, { text: "done", artifact_ids: [art.id], escrow_id: escrowId });
  await a.client.complete(escrowId);
  await a.customerApi.escrow.dispute({ escrowId, reason: "wrong" });
  await a.client.defend(escrowId, "it is right");
  await a.customerApi.escrow.proposeSettlement({ escrowId, refundAmount: 500 });
  settlementId = (await h.tdb.db.settlement.findFirstOrThrow({ where: { escrowId, status: "open" } })).id;
  artifactId = (await a.client.uploadFile({ name: "spare.png", bytes: PNG_BYTES })).id;
  // Agent A also buys, with its owner's wallet, from a third agent.
  seller = await createWorld(h);
  await addTestFunds(h.deps.engine, a.owner.id, "USD", 10_000);
  await callerFor(h.deps.engine, a.owner).owner.setPurchasing({ agentId: a.agentId, enabled: true, limit: 10_000 });
  purchaseConversationId = (await a.client.startPurchaseConversation(seller.handle)).id;
  purchaseId = (await seller.client.createEscrow({ conversation_id: purchaseConversationId, title: "Icon", amount: 1_000, currency: "USD" })).id;
  await a.client.acceptPurchase(purchaseId);
});
afterAll(() => h.close());

/** For each operation, a request aimed at agent A's objects (well-formed, so only ownership can refuse it). */
function requestsAgainstA(): Record<string, { method: string; path: string; json?: unknown }[]> {
  return {
    getMe: [],
    listServices: [],
    listConversations: [],
    listEscrows: [],
    getEvents: [],
    uploadArtifact: [],
    listMessages: [{ method: "GET", path: `/conversations/${a.conversationId}/messages` }],
    downloadArtifact: [{ method: "GET", path: `/artifacts/${artifactId}/content` }],
    sendMessage: [
      { method: "POST", path: `/conversations/${a.conversationId}/messages`, json: { text: "hi" } },
      { method: "POST", path: `/conversations/${b.conversationId}/messages`, json: { text: "hi", artifact_ids: [artifactId] } },
      { method: "POST", path: `/conversations/${b.conversationId}/messages`, json: { text: "hi", escrow_id: escrowId } },
    ],
    createEscrow: [
      { method: "POST", path: "/escrows", json: { conversation_id: a.conversationId, title: "x", amount: 100, currency: "USD" } },
      { method: "POST", path: "/escrows", json: { conversation_id: b.conversationId, title: "x", amount: 100, currency: "USD", service_id: a.serviceId } },
    ],
    getEscrow: [
      { method: "GET", path: `/escrows/${escrowId}` },
      { method: "GET", path: `/escrows/${referenceCode}` },
    ],
    getReceipts: [{ method: "GET", path: `/escrows/${escrowId}/receipts` }],
    getEvidence: [{ method: "GET", path: `/escrows/${escrowId}/evidence` }],
    completeEscrow: [{ method: "POST", path: `/escrows/${escrowId}/complete`, json: {} }],
    cancelEscrow: [{ method: "POST", path: `/escrows/${referenceCode}/cancel`, json: {} }],
    respondToDispute: [{ method: "POST", path: `/escrows/${escrowId}/dispute-response`, json: { action: "agree_refund" } }],
    proposeSettlement: [{ method: "POST", path: `/escrows/${escrowId}/settlements`, json: { refund_amount: 100 } }],
    acceptSettlement: [{ method: "POST", path: `/escrows/${escrowId}/settlements/${settlementId}/accept`, json: {} }],
    escalateEscrow: [{ method: "POST", path: `/escrows/${escrowId}/escalate`, json: {} }],
    addStatement: [{ method: "POST", path: `/escrows/${escrowId}/statements`, json: { text: "my side" } }],
    notifyOwner: [
      { method: "POST", path: "/owner-alerts", json: { reason: "other", title: "t", message: "m", escrow_id: escrowId } },
      { method: "POST", path: "/owner-alerts", json: { reason: "other", title: "t", message: "m", conversation_id: a.conversationId } },
    ],
    // The buyer's side: B (not the buyer) is refused A's purchases as if they did not exist.
    getSeller: [],
    startPurchaseConversation: [],
    listPurchaseConversations: [],
    listPurchases: [],
    listPurchaseMessages: [{ method: "GET", path: `/purchase-conversations/${purchaseConversationId}/messages` }],
    sendPurchaseMessage: [{ method: "POST", path: `/purchase-conversations/${purchaseConversationId}/messages`, json: { text: "hi" } }],
    getPurchase: [{ method: "GET", path: `/purchases/${purchaseId}` }],
    acceptPurchase: [{ method: "POST", path: `/purchases/${purchaseId}/accept`, json: {} }],
    declinePurchase: [{ method: "POST", path: `/purchases/${purchaseId}/decline`, json: {} }],
    approvePurchase: [{ method: "POST", path: `/purchases/${purchaseId}/approve`, json: {} }],
    disputePurchase: [{ method: "POST", path: `/purchases/${purchaseId}/dispute`, json: { reason: "bad" } }],
    extendPurchaseReview: [{ method: "POST", path: `/purchases/${purchaseId}/extend-review`, json: {} }],
    withdrawPurchaseDispute: [{ method: "POST", path: `/purchases/${purchaseId}/withdraw-dispute`, json: {} }],
    cancelOverduePurchase: [{ method: "POST", path: `/purchases/${purchaseId}/cancel-overdue`, json: {} }],
    proposePurchaseSettlement: [{ method: "POST", path: `/purchases/${purchaseId}/settlements`, json: { refund_amount: 100 } }],
    acceptPurchaseSettlement: [{ method: "POST", path: `/purchases/${purchaseId}/settlements/stl_none/accept`, json: {} }],
    escalatePurchase: [{ method: "POST", path: `/purchases/${purchaseId}/escalate`, json: {} }],
    attestDelivery: [{ method: "POST", path: `/escrows/${escrowId}/attestation`, json: { verdict: "pass", report: "Fine." } }],
  };
}

/** One well-formed request per endpoint (for the 401 checks). */
function oneRequestPerEndpoint(): { method: string; path: string; json?: unknown }[] {
  return OPERATIONS.map((op) => {
    const path = op.path
      .replace("{escrow}", escrowId)
      .replace("{conversation_id}", a.conversationId)
      .replace("{settlement_id}", settlementId)
      .replace("{artifact_id}", artifactId)
      .replace("{handle}", seller.handle);
    return { method: op.method, path, ...(op.method === "POST" ? { json: {} } : {}) };
  });
}

describe("another agent's key", () => {
  it("covers every operation", () => {
    expect(Object.keys(requestsAgainstA()).sort()).toEqual(OPERATIONS.map((op) => op.id).sort());
  });

  it("gets 404 not_found for every endpoint that names agent A's object, and nothing changes", async () => {
    const before = await dataSnapshot(h);
    for (const [opId, requests] of Object.entries(requestsAgainstA())) {
      for (const r of requests) {
        const response = await call(h, b.key.key, r.method, r.path, r.json !== undefined ? { json: r.json } : {});
        expect({ opId, path: r.path, status: response.status, code: (response.body as { error?: { code: string } }).error?.code }).toEqual({
          opId, path: r.path, status: 404, code: "not_found",
        });
      }
    }
    expect(await dataSnapshot(h)).toBe(before);
    // Still 404 with a malformed body: ownership answers before shape.
    const malformed = await call(h, b.key.key, "POST", `/escrows/${escrowId}/settlements`, { json: { refund_amount: -5 } });
    expect(malformed.status).toBe(404);
  });

  it("sees only its own data in the lists and the feed", async () => {
    expect((await b.client.listConversations()).data.map((c) => c.id)).toEqual([b.conversationId]);
    expect((await b.client.listEscrows({ status: "all" })).data).toEqual([]);
    expect((await b.client.events()).events).toEqual([]);
    expect((await b.client.listServices()).data.map((s) => s.id)).toEqual([b.serviceId]);
    expect((await b.client.me()).id).toBe(b.agentId);
    expect((await b.client.listPurchases({ status: "all" })).data).toEqual([]);
    expect((await b.client.listPurchaseConversations()).data).toEqual([]);
    // The seller of A's purchase is not its buyer either.
    expect((await call(h, seller.key.key, "GET", `/purchases/${purchaseId}`)).status).toBe(404);
  });
});

describe("keys that must not work", () => {
  async function expectAll401(key: string | null) {
    for (const r of oneRequestPerEndpoint()) {
      const response = await call(h, key, r.method, r.path, r.json !== undefined ? { json: r.json } : {});
      expect({ path: r.path, status: response.status, code: (response.body as { error?: { code: string } }).error?.code }).toEqual({
        path: r.path, status: 401, code: "unauthorized",
      });
    }
  }

  it("no key, a garbage key, and a well-formed unknown key get 401 everywhere", async () => {
    const before = await dataSnapshot(h);
    await expectAll401(null);
    await expectAll401("not-a-key");
    await expectAll401(`${a.key.prefix}_${"a".repeat(40)}`);
    expect(await dataSnapshot(h)).toBe(before);
  });

  it("a revoked key gets 401 everywhere; the agent's other keys still work", async () => {
    const spare = await issueAgentApiKey(h.tdb.db, a.agentId, "spare");
    expect((await call(h, spare.key, "GET", "/me")).status).toBe(200);
    expect(await accessChange(h, () => revokeAgentApiKey(h.tdb.db, spare.id, new Date()))).toBe(true);
    const before = await dataSnapshot(h);
    await expectAll401(spare.key);
    expect(await dataSnapshot(h)).toBe(before);
    expect((await call(h, a.key.key, "GET", "/me")).status).toBe(200);
    const stored = await h.tdb.db.agentApiKey.findUniqueOrThrow({ where: { id: spare.id } });
    expect(stored.keyHash).not.toContain(spare.key.slice(14));
    expect(spare.key.startsWith(stored.prefix)).toBe(true);
  });

  it("a suspended agent, and an agent whose owner is suspended, get 401 everywhere", async () => {
    const before = await dataSnapshot(h);
    await accessChange(h, () => h.tdb.db.agent.update({ where: { id: a.agentId }, data: { status: "suspended" } }));
    await expectAll401(a.key.key);
    await accessChange(h, () => h.tdb.db.agent.update({ where: { id: a.agentId }, data: { status: "active" } }));
    await accessChange(h, () => h.tdb.db.user.update({ where: { id: a.owner.id }, data: { status: "suspended" } }));
    await expectAll401(a.key.key);
    await accessChange(h, () => h.tdb.db.user.update({ where: { id: a.owner.id }, data: { status: "active" } }));
    expect(await dataSnapshot(h)).toBe(before);
    expect((await call(h, a.key.key, "GET", "/me")).status).toBe(200);
  });
});
