// The evaluator role (issue 18 item 4) over real HTTP: a catalog service names another owner's agent,
// which hears escrow.evaluation_requested at delivery (with the artifacts and their hashes), downloads
// what it must check, and attests once within half the review window. pass changes nothing; fail opens
// the dispute on the customer's behalf with the report; silence is shown as "not in time"; a second
// attest, a late one, a non-evaluator's and a sibling of the seller are refused; the fee is posted
// exactly on release and the ledger check stays clean.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { HoldfastClient, verifyReceiptChain, type Escrow } from "~/client";
import { publicJwks, receiptKeyset } from "~/server/receipts/keys";
import { FIELD_LIMITS } from "~/domain/field-limits";
import { newId } from "~/server/ids";
import { issueAgentApiKey } from "~/server/auth/api-keys";
import { callerFor } from "../api/root";
import { checkDatabaseLedger } from "../ledger/check";
import type { TestClock } from "~/test/engine-fixtures";
import { createUser } from "~/test/users";
import {
  call, createWorld, dataSnapshot, expectApiError, IMAGE_CONTRACT, PNG_BYTES, startHarness, type Harness, type World,
} from "~/test/agent-api-harness";

/** Real time (so every step is later than the one before), moved forward on demand. */
let offsetMs = 0;
const clock: TestClock = {
  now: () => new Date(Date.now() + offsetMs),
  advanceSeconds(seconds) {
    offsetMs += seconds * 1000;
  },
  set(at) {
    offsetMs = at.getTime() - Date.now();
  },
};
let h: Harness;
beforeAll(async () => {
  h = await startHarness({}, clock);
});
afterAll(() => h.close());
beforeEach(() => {
  h.deps.engine.config = { ...h.deps.engine.config, feeBps: 1000 };
});

const HOUR_S = 3600;

/** An agent of `owner` (a new owner unless given), opted in as an evaluator for `fee` cents. */
async function evaluatorAgent(options: { owner?: World["owner"]; fee?: number; enabled?: boolean } = {}) {
  const db = h.tdb.db;
  const owner = options.owner ?? (await createUser(db, "owner", "Eve Evaluator"));
  const agentId = newId("agt");
  const handle = `proof-${agentId.slice(4, 14)}`;
  await db.agent.create({ data: { id: agentId, ownerId: owner.id, handle, displayName: "Proofreader" } });
  if (owner.role === "owner") await callerFor(h.deps.engine, owner).owner.setEvaluator({ agentId, enabled: options.enabled ?? true, fee: options.fee ?? 0 });
  // A customer has no console: its agent is opted in behind it, to prove the engine's own check.
  else await db.agent.update({ where: { id: agentId }, data: { evaluatorEnabled: options.enabled ?? true } });
  const key = await issueAgentApiKey(db, agentId, "test");
  return { owner, agentId, handle, key, client: new HoldfastClient({ baseUrl: h.url, apiKey: key.key, validate: true }) };
}
type Evaluator = Awaited<ReturnType<typeof evaluatorAgent>>;

function nameEvaluator(w: World, handle: string | null, feePayer: "platform" | "seller" = "platform") {
  return callerFor(h.deps.engine, w.owner).owner.saveService({
    agentId: w.agentId, serviceId: w.serviceId, title: "Logo design", price: 2_500, deliveryInHours: 24, artifactContract: IMAGE_CONTRACT,
    evaluator: handle === null ? null : { handle, feePayer },
  });
}

async function deliveredEscrow(w: World, amount = 2_500): Promise<Escrow> {
  const offer = await w.client.createEscrow({ conversation_id: w.conversationId, title: "Logo design", amount, currency: "USD", service_id: w.serviceId });
  await w.customerApi.escrow.accept({ escrowId: offer.id });
  const artifact = await w.client.uploadFile({ name: "logo.png", bytes: PNG_BYTES, contentType: "image/png" });
  await w.client.sendMessage(w.conversationId, { text: "Here is your logo.", artifact_ids: [artifact.id], escrow_id: offer.id });
  return w.client.complete(offer.reference_code);
}

async function evaluatedWorld(options: { fee?: number; feePayer?: "platform" | "seller" } = {}) {
  const w = await createWorld(h);
  const evaluator = await evaluatorAgent({ fee: options.fee ?? 0 });
  await nameEvaluator(w, evaluator.handle, options.feePayer);
  const escrow = await deliveredEscrow(w);
  return { w, evaluator, escrow };
}

async function requestedEvent(evaluator: Evaluator) {
  const { events } = await evaluator.client.events();
  return events.find((e) => e.type === "escrow.evaluation_requested");
}

describe("evaluation requested at delivery", () => {
  it("sends the evaluator a trusted event with the artifacts (sha256), the service's brief and a window half the review window", async () => {
    const { evaluator, escrow } = await evaluatedWorld({ fee: 100 });
    const event = await requestedEvent(evaluator);
    expect(event).toMatchObject({ trusted: true, type: "escrow.evaluation_requested" });
    const data = event?.data as { escrow: { id: string }; service: { title: string }; artifacts: { id: string; sha256: string; size: number; mime_type: string }[]; attest_by: string; fee: unknown };
    expect(data.escrow.id).toBe(escrow.id);
    expect(data.service.title).toBe("Logo design");
    expect(data.artifacts).toHaveLength(1);
    expect(data.artifacts[0]).toMatchObject({ mime_type: "image/png", size: PNG_BYTES.length, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) as string });
    expect(data.fee).toEqual({ amount: 100, currency: "USD", paid_by: "platform" });
    // Half of the 48-hour review window, counted from delivery.
    const deliveredAt = (await h.tdb.db.escrow.findUniqueOrThrow({ where: { id: escrow.id } })).statusChangedAt.getTime();
    const reviewDeadline = new Date(escrow.deadline ?? "").getTime();
    expect(reviewDeadline - deliveredAt).toBe(48 * HOUR_S * 1000);
    expect(new Date(data.attest_by).getTime()).toBe(deliveredAt + 24 * HOUR_S * 1000);
    // It may download the delivered file it must check.
    const download = await call(h, evaluator.key.key, "GET", `/artifacts/${data.artifacts[0]?.id ?? ""}/content`);
    expect(download.status).toBe(200);
  });

  it("a service without an evaluator sends no such event and records no evaluation", async () => {
    const w = await createWorld(h);
    const escrow = await deliveredEscrow(w);
    expect(await h.tdb.db.evaluation.count({ where: { escrowId: escrow.id } })).toBe(0);
    expect(await h.tdb.db.agentEvent.count({ where: { escrowId: escrow.id, type: "escrow.evaluation_requested" } })).toBe(0);
  });
});

describe("attest", () => {
  it("pass: recorded, the seller hears it, the escrow stays delivered (no early release), the customer sees it", async () => {
    const { w, evaluator, escrow } = await evaluatedWorld();
    const result = await evaluator.client.attest(escrow.reference_code, { verdict: "pass", report: "512×512 PNG, not blank" });
    expect(result.escrow_status).toBe("delivered");
    expect(result.attestation).toMatchObject({ state: "passed", verdict: "pass", report: "512×512 PNG, not blank", evaluator: { handle: evaluator.handle } });
    expect((await w.client.getEscrow(escrow.id)).status).toBe("delivered");
    expect(await w.customerApi.escrow.evaluation({ escrowId: escrow.id })).toMatchObject({ state: "passed", report: "512×512 PNG, not blank" });
    const heard = (await w.client.events()).events.find((e) => e.type === "escrow.attested");
    expect(heard?.data).toMatchObject({ attestation: { verdict: "pass" } });
    const audit = await h.tdb.db.escrowEvent.findFirst({ where: { escrowId: escrow.id, command: "attest" } });
    expect(audit).toMatchObject({ actorKind: "evaluator", actorId: evaluator.agentId, reason: "pass: 512×512 PNG, not blank" });
  });

  it("fail: opens the dispute on the customer's behalf with the report as its reason", async () => {
    const { w, evaluator, escrow } = await evaluatedWorld();
    const result = await evaluator.client.attest(escrow.id, { verdict: "fail", report: "The file is a single white colour: blank." });
    expect(result.escrow_status).toBe("disputed");
    const row = await h.tdb.db.escrow.findUniqueOrThrow({ where: { id: escrow.id } });
    expect(row.status).toBe("disputed");
    expect(row.disputeReason).toBe("Checked by Proofreader: fail — The file is a single white colour: blank.");
    expect((await w.client.events()).events.some((e) => e.type === "escrow.disputed" && e.data.escrow && (e.data.escrow as { id: string }).id === escrow.id)).toBe(true);
    expect(await w.customerApi.escrow.evaluation({ escrowId: escrow.id })).toMatchObject({ state: "failed" });
  });

  it("a second attest is refused with already_attested, nothing written", async () => {
    const { evaluator, escrow } = await evaluatedWorld();
    await evaluator.client.attest(escrow.id, { verdict: "pass", report: "Fine." });
    const before = await dataSnapshot(h);
    await expectApiError(evaluator.client.attest(escrow.id, { verdict: "fail", report: "Changed my mind." }), 409, "already_attested");
    expect(await dataSnapshot(h)).toBe(before);
  });

  it("no attestation in time: shown as such, changes nothing, and a late attest is refused with window_closed", async () => {
    const { w, evaluator, escrow } = await evaluatedWorld();
    expect(await w.customerApi.escrow.evaluation({ escrowId: escrow.id })).toMatchObject({ state: "awaiting", verdict: null });
    clock.advanceSeconds(24 * HOUR_S);
    expect(await w.customerApi.escrow.evaluation({ escrowId: escrow.id })).toMatchObject({ state: "not_in_time", verdict: null });
    expect((await w.client.getEscrow(escrow.id)).status).toBe("delivered");
    const before = await dataSnapshot(h);
    await expectApiError(evaluator.client.attest(escrow.id, { verdict: "fail", report: "Too late." }), 409, "window_closed");
    expect(await dataSnapshot(h)).toBe(before);
  });

  it("refuses the seller (not_evaluator), strangers (404) and an empty or overlong report (400), nothing written", async () => {
    const { w, evaluator, escrow } = await evaluatedWorld();
    const stranger = await evaluatorAgent();
    const before = await dataSnapshot(h);
    await expectApiError(w.client.attest(escrow.id, { verdict: "pass", report: "I like my own work." }), 403, "not_evaluator");
    await expectApiError(stranger.client.attest(escrow.id, { verdict: "pass", report: "Looks fine." }), 404, "not_found");
    await expectApiError(evaluator.client.attest(escrow.id, { verdict: "pass", report: " \u200b " }), 400, "validation_error");
    const overlong = await call(h, evaluator.key.key, "POST", `/escrows/${escrow.id}/attestation`, {
      json: { verdict: "pass", report: "x".repeat(FIELD_LIMITS.attestationReportChars + 1) },
    });
    expect(overlong.status).toBe(400);
    const badVerdict = await call(h, evaluator.key.key, "POST", `/escrows/${escrow.id}/attestation`, { json: { verdict: "maybe", report: "Hm." } });
    expect(badVerdict.status).toBe(400);
    expect(await dataSnapshot(h)).toBe(before);
  });

  it("is an MCP tool too", async () => {
    const { evaluator, escrow } = await evaluatedWorld();
    const response = await fetch(`${h.url}/api/mcp`, {
      method: "POST",
      headers: { authorization: `Bearer ${evaluator.key.key}`, "content-type": "application/json", accept: "application/json, text/event-stream" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "attest", arguments: { escrow: escrow.id, verdict: "pass", report: "Checked over MCP." } } }),
    });
    expect(response.status).toBe(200);
    expect((await h.tdb.db.evaluation.findUniqueOrThrow({ where: { escrowId: escrow.id } })).verdict).toBe("pass");
  });
});

describe("the customer withdraws the dispute the evaluator opened (issue 18)", () => {
  it("back to delivered with the whole review window from now; the seller hears escrow.dispute_withdrawn; once only", async () => {
    const { w, evaluator, escrow } = await evaluatedWorld();
    await evaluator.client.attest(escrow.id, { verdict: "fail", report: "Blank." });
    const disputed = await w.customerApi.escrow.byId({ escrowId: escrow.id });
    expect(disputed.allowed_actions).toEqual(["withdraw_dispute"]);
    clock.advanceSeconds(HOUR_S);
    const withdrawnAt = clock.now().getTime();
    const after = await w.customerApi.escrow.withdrawDispute({ escrowId: escrow.id });
    expect(after.status).toBe("delivered");
    expect(after.deadline_action).toBe("auto_release");
    // The whole 48-hour review window again, from the withdrawal (not what was left of the first one).
    expect(new Date(after.deadline ?? "").getTime() - withdrawnAt).toBeGreaterThanOrEqual(48 * HOUR_S * 1000);
    expect(new Date(after.deadline ?? "").getTime() - withdrawnAt).toBeLessThan(48 * HOUR_S * 1000 + 60_000);
    expect(after.allowed_actions).toEqual(expect.arrayContaining(["approve", "dispute"]));
    const seen = (await w.client.events()).events.filter((e) => e.type === "escrow.dispute_withdrawn");
    expect(seen.map((e) => (e.data.escrow as { id: string; status: string }).status)).toEqual(["delivered"]);
    expect((await w.client.getEscrow(escrow.id)).status).toBe("delivered");
    // The chain records it: a signed receipt for the withdrawal.
    const chain = await w.client.getReceipts(escrow.id);
    expect(chain.receipts.at(-1)?.payload).toMatchObject({ command: "withdraw_dispute", from_state: "disputed", state: "delivered", actor: { kind: "customer" } });
    expect(chain.receipts.map((r) => r.payload.command).slice(-3)).toEqual(["attest", "dispute", "withdraw_dispute"]);
    expect(await verifyReceiptChain(chain.receipts, publicJwks(await receiptKeyset()))).toMatchObject({ ok: true });
    // Withdrawn once: the customer's own dispute afterwards is not withdrawable this way, nothing written.
    await w.customerApi.escrow.dispute({ escrowId: escrow.id, reason: "Actually, it is blank." });
    const before = await dataSnapshot(h);
    await expect(w.customerApi.escrow.withdrawDispute({ escrowId: escrow.id })).rejects.toMatchObject({ message: expect.stringContaining("Only a dispute the evaluator opened") });
    expect(await dataSnapshot(h)).toBe(before);
    expect((await w.customerApi.escrow.byId({ escrowId: escrow.id })).allowed_actions).toEqual([]);
  });

  it("a dispute the customer opened cannot be withdrawn this way: 422 dispute_not_withdrawable, nothing written", async () => {
    const { w, escrow } = await evaluatedWorld();
    await w.customerApi.escrow.dispute({ escrowId: escrow.id, reason: "It is blank." });
    const before = await dataSnapshot(h);
    await expect(w.customerApi.escrow.withdrawDispute({ escrowId: escrow.id })).rejects.toMatchObject({ code: "UNPROCESSABLE_CONTENT" });
    expect(await dataSnapshot(h)).toBe(before);
  });

  it("not after the agent answered (defend → negotiating), and never by another customer", async () => {
    const { w, evaluator, escrow } = await evaluatedWorld();
    await evaluator.client.attest(escrow.id, { verdict: "fail", report: "Blank." });
    const stranger = await createUser(h.tdb.db, "customer", "Sam Stranger");
    await expect(callerFor(h.deps.engine, stranger).escrow.withdrawDispute({ escrowId: escrow.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await w.client.defend(escrow.id, "It is a minimalist logo.");
    const before = await dataSnapshot(h);
    await expect(w.customerApi.escrow.withdrawDispute({ escrowId: escrow.id })).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await dataSnapshot(h)).toBe(before);
    expect((await w.client.getEscrow(escrow.id)).status).toBe("negotiating");
  });
});

describe("a buying agent withdraws the dispute the evaluator opened for it (issue 18)", () => {
  it("withdraw_purchase_dispute: back to delivered, listed in its allowed_actions only for that dispute", async () => {
    const seller = await createWorld(h);
    const buyer = await createWorld(h);
    await callerFor(h.deps.engine, buyer.owner).owner.setPurchasing({ agentId: buyer.agentId, enabled: true, limit: 10_000 });
    await callerFor(h.deps.engine, buyer.owner).wallet.addTestFunds({ amount: 10_000, currency: "USD" });
    const evaluator = await evaluatorAgent();
    await nameEvaluator(seller, evaluator.handle);
    const conversation = await buyer.client.startPurchaseConversation(seller.handle);
    const offer = await seller.client.createEscrow({ conversation_id: conversation.id, title: "Logo design", amount: 2_500, currency: "USD", service_id: seller.serviceId });
    await buyer.client.acceptPurchase(offer.id);
    const art = await seller.client.uploadFile({ name: "logo.png", bytes: PNG_BYTES, contentType: "image/png" });
    await seller.client.sendMessage(conversation.id, { text: "Here is your logo.", artifact_ids: [art.id], escrow_id: offer.id });
    await seller.client.complete(offer.id);
    // The buying agent's own dispute is not withdrawable this way: not offered, refused, nothing written.
    await buyer.client.disputePurchase(offer.id, "Wrong colours.");
    const own = await buyer.client.getPurchase(offer.id);
    expect(own.status).toBe("disputed");
    expect(own.allowed_actions).toEqual([]);
    const before = await dataSnapshot(h);
    await expectApiError(buyer.client.withdrawPurchaseDispute(offer.id), 422, "dispute_not_withdrawable");
    expect(await dataSnapshot(h)).toBe(before);

    // A second order, failed by the evaluator: the buying agent may withdraw that dispute.
    const second = await seller.client.createEscrow({ conversation_id: conversation.id, title: "Logo design", amount: 1_000, currency: "USD", service_id: seller.serviceId });
    await buyer.client.acceptPurchase(second.id);
    const art2 = await seller.client.uploadFile({ name: "logo2.png", bytes: PNG_BYTES, contentType: "image/png" });
    await seller.client.sendMessage(conversation.id, { text: "Here it is.", artifact_ids: [art2.id], escrow_id: second.id });
    await seller.client.complete(second.id);
    await evaluator.client.attest(second.id, { verdict: "fail", report: "Blank." });
    expect((await buyer.client.getPurchase(second.id)).allowed_actions).toEqual(["withdraw_dispute"]);
    const withdrawn = await buyer.client.withdrawPurchaseDispute(second.reference_code);
    expect(withdrawn).toMatchObject({ status: "delivered", deadline_action: "auto_release" });
    expect((await buyer.client.events({ limit: 200 })).events.some((e) => e.type === "purchase.dispute_withdrawn" && e.escrow_id === second.id)).toBe(true);
    expect((await seller.client.events({ limit: 200 })).events.some((e) => e.type === "escrow.dispute_withdrawn" && e.escrow_id === second.id)).toBe(true);
  });
});

describe("who may evaluate", () => {
  it("a service cannot name the seller itself, a sibling of the seller (same owner) or an agent not opted in; nothing written", async () => {
    const w = await createWorld(h);
    const sibling = await evaluatorAgent({ owner: w.owner });
    const notOptedIn = await evaluatorAgent({ enabled: false });
    const before = await dataSnapshot(h);
    for (const handle of [w.handle, sibling.handle, notOptedIn.handle]) {
      await expect(nameEvaluator(w, handle)).rejects.toMatchObject({ cause: { code: "evaluator_not_allowed" } });
    }
    expect(await dataSnapshot(h)).toBe(before);
    expect((await h.tdb.db.service.findUniqueOrThrow({ where: { id: w.serviceId } })).evaluatorAgentId).toBeNull();
  });

  it("a sibling named before is still refused at delivery and at attest", async () => {
    const w = await createWorld(h);
    const sibling = await evaluatorAgent({ owner: w.owner });
    // Named behind the console's back (an old row): the engine re-checks at delivery.
    await h.tdb.db.service.update({ where: { id: w.serviceId }, data: { evaluatorAgentId: sibling.agentId } });
    const escrow = await deliveredEscrow(w);
    expect(await h.tdb.db.evaluation.count({ where: { escrowId: escrow.id } })).toBe(0);
    expect(await requestedEvent(sibling)).toBeUndefined();
    await expectApiError(sibling.client.attest(escrow.id, { verdict: "pass", report: "Fine." }), 404, "not_found");
  });

  it("the customer's own agent is not asked to evaluate its owner's order", async () => {
    const w = await createWorld(h);
    const customersAgent = await evaluatorAgent({ owner: w.customer });
    await nameEvaluator(w, customersAgent.handle);
    expect((await h.tdb.db.service.findUniqueOrThrow({ where: { id: w.serviceId } })).evaluatorAgentId).toBe(customersAgent.agentId);
    const escrow = await deliveredEscrow(w);
    expect(await h.tdb.db.evaluation.count({ where: { escrowId: escrow.id } })).toBe(0);
  });
});

describe("the evaluator's fee, through the ledger, exactly on release", () => {
  async function transfersOf(escrowId: string) {
    const rows = await h.tdb.db.ledgerTransfer.findMany({ where: { escrowId }, include: { toAccount: true } });
    return Object.fromEntries(rows.map((r) => [r.kind, { amount: Number(r.amountMinor), to: r.toAccount.key }]));
  }

  it("paid from the platform's fee: 2500 at 10 % → seller 2250, evaluator 100, platform 150", async () => {
    const { w, evaluator, escrow } = await evaluatedWorld({ fee: 100 });
    await evaluator.client.attest(escrow.id, { verdict: "pass", report: "Fine." });
    expect(await h.tdb.db.ledgerTransfer.count({ where: { escrowId: escrow.id, kind: "evaluator_fee" } })).toBe(0);
    await w.customerApi.escrow.approve({ escrowId: escrow.id });
    expect(await transfersOf(escrow.id)).toEqual({
      fund: expect.anything() as unknown,
      release: { amount: 2_250, to: `wallet:${w.owner.id}:USD` },
      fee: { amount: 150, to: "platform_fee:USD" },
      evaluator_fee: { amount: 100, to: `wallet:${evaluator.owner.id}:USD` },
    });
    expect(await checkDatabaseLedger(h.tdb.db)).toEqual([]);
  });

  it("paid by the seller when the service says so: seller 2150, platform 250, evaluator 100", async () => {
    const { w, evaluator, escrow } = await evaluatedWorld({ fee: 100, feePayer: "seller" });
    await evaluator.client.attest(escrow.id, { verdict: "pass", report: "Fine." });
    await w.customerApi.escrow.approve({ escrowId: escrow.id });
    const t = await transfersOf(escrow.id);
    expect([t.release?.amount, t.fee?.amount, t.evaluator_fee?.amount]).toEqual([2_150, 250, 100]);
    expect(await checkDatabaseLedger(h.tdb.db)).toEqual([]);
  });

  it("nothing is paid without an attestation, nor on a refund", async () => {
    const silent = await evaluatedWorld({ fee: 100 });
    await silent.w.customerApi.escrow.approve({ escrowId: silent.escrow.id });
    expect((await transfersOf(silent.escrow.id)).evaluator_fee).toBeUndefined();
    const failed = await evaluatedWorld({ fee: 100 });
    await failed.evaluator.client.attest(failed.escrow.id, { verdict: "fail", report: "Blank." });
    await failed.w.client.agreeRefund(failed.escrow.id);
    expect((await transfersOf(failed.escrow.id)).evaluator_fee).toBeUndefined();
    expect(await checkDatabaseLedger(h.tdb.db)).toEqual([]);
  });
});

describe("the evaluator's public record", () => {
  it("counts its verdicts and how often a moderator later agreed", async () => {
    const { w, evaluator, escrow } = await evaluatedWorld();
    await evaluator.client.attest(escrow.id, { verdict: "fail", report: "Blank." });
    await w.client.defend(escrow.id, "It is a minimalist logo.");
    await w.client.escalate(escrow.id);
    const moderator = await createUser(h.tdb.db, "admin", "Mo Moderator");
    await callerFor(h.deps.engine, moderator).admin.decide({ escrowId: escrow.id, outcome: "refund", note: "The file is blank." });
    const profile = await callerFor(h.deps.engine, w.customer).market.agent({ handle: evaluator.handle });
    expect(profile.evaluator).toEqual({ fee: 0, currency: "USD", verdicts: 1, passes: 0, fails: 1, moderatorDecided: 1, moderatorAgreed: 1 });
  });
});
