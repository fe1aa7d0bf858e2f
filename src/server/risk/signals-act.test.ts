// Issue 17 on PostgreSQL over the agent API: the three patterns that paid — trivial deliveries to
// customers who never come back, the owner's other account buying and approving at once, an offer at
// 10× the catalog price — are each held or stopped, with the money where the ledger says; and a
// moderator's decision on the agent case (clear / restrict / suspend) is written with its audit row,
// after which held payouts follow the normal hold again.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HoldfastApiError } from "~/client";
import { DEFAULT_TIER_POLICIES } from "~/domain/risk";
import { LENGTHENED_HOLD_S, SIGNAL_ACTIONS } from "~/domain/signals";
import { createWorld, startHarness, type Harness, type World } from "~/test/agent-api-harness";
import { testClock } from "~/test/engine-fixtures";
import { createUser } from "~/test/users";
import { callerFor } from "../api/root";
import { fireNextDueTimer } from "../jobs/fire-timer";
import { checkDatabaseLedger } from "../ledger/check";
import { walletBalances } from "../ledger/wallet";
import { releaseDueHolds } from "./holds";
import { openSignalOf } from "./signal-state";

const clock = testClock();
let h: Harness;
const NEW_HOLD_S = DEFAULT_TIER_POLICIES.new.payoutHoldS;

beforeAll(async () => {
  h = await startHarness({}, clock);
  // The real tier policies and signal actions (the harness defaults to none), as a deployment runs them.
  h.deps.engine = { ...h.deps.engine, config: { ...h.deps.engine.config, riskPolicies: DEFAULT_TIER_POLICIES, signalActions: SIGNAL_ACTIONS } };
});
afterAll(() => h.close());

const engine = () => h.deps.engine;

async function fireDueTimers(): Promise<void> {
  for (let i = 0; i < 200 && (await fireNextDueTimer(engine())) !== null; i++);
}

/** A fresh buyer with funds, in a conversation of its own with the seller. */
async function buyer(w: World, name: string, user?: Awaited<ReturnType<typeof createUser>>) {
  const customer = user ?? (await createUser(h.tdb.db, "customer", name));
  const api = callerFor(engine(), customer);
  const { conversationId } = await api.chat.open({ agentHandle: w.handle });
  await api.wallet.addTestFunds({ amount: 20_000, currency: "USD" });
  return { customer, api, conversationId };
}

/** Offer, payment, and a one-line JSON file delivered (the same bytes every time: trivial and reused). */
async function trivialSale(w: World, b: Awaited<ReturnType<typeof buyer>>, amount = 2_500) {
  const offer = await w.client.createEscrow({ conversation_id: b.conversationId, title: "Logo", amount, currency: "USD", service_id: w.serviceId });
  await b.api.escrow.accept({ escrowId: offer.id });
  clock.advanceSeconds(60);
  const file = await w.client.uploadData({ name: "logo.json", data: { x: 1 } });
  await w.client.sendMessage(b.conversationId, { text: "done", artifact_ids: [file.id], escrow_id: offer.id });
  clock.advanceSeconds(1);
  await w.client.complete(offer.id);
  return offer;
}

async function escrowBalance(escrowId: string): Promise<number> {
  const account = await h.tdb.db.ledgerAccount.findFirst({ where: { escrowId } });
  return Number(account?.balanceMinor ?? 0n);
}

describe("absent customers (issue 17 items 2 and 4)", () => {
  it("trivial deliveries to customers who never come back: once the signal is open the timer does not release, a moderator does", async () => {
    const w = await createWorld(h, { funds: 0, contract: null });
    const admin = callerFor(engine(), await createUser(h.tdb.db, "admin"));
    const sales = [];
    for (let i = 0; i < 8; i++) {
      const b = await buyer(w, `Fresh ${i}`);
      sales.push(await trivialSale(w, b));
      clock.advanceSeconds(49 * 3600);
      await fireDueTimers();
    }
    const statuses = await Promise.all(sales.map(async (s) => (await h.tdb.db.escrow.findUniqueOrThrow({ where: { id: s.id } })).status));
    // The first sale raised no signal yet; from the second the same trivial file opens one.
    expect(statuses).toEqual(["completed", ...Array<string>(7).fill("admin_review")]);
    for (const s of sales.slice(1)) expect(await escrowBalance(s.id)).toBe(2_500);
    expect(await checkDatabaseLedger(h.tdb.db)).toEqual([]);

    // The moderation queue says why each came.
    const queue = await admin.admin.queue();
    const held = queue.filter((c) => c.agent.id === w.agentId);
    expect(held).toHaveLength(7);
    expect(held.every((c) => c.route === "agent_under_review")).toBe(true);
    const event = await h.tdb.db.escrowEvent.findFirst({ where: { escrowId: sales[1]!.id, toStatus: "admin_review" } });
    expect(event).toMatchObject({ command: "auto_release", actorKind: "timer" });

    // The agent case: its evidence, the escrows involved, the lengthen-hold action.
    const agentCase = await admin.admin.agentCase({ agentId: w.agentId });
    expect(agentCase.action).toBe("lengthen_hold");
    expect(agentCase.signals.map((s) => s.kind).sort()).toEqual(["reused_artifacts", "trivial_deliveries"]);
    expect(agentCase.escrows).toHaveLength(8);

    // A moderator releases one case: the payout is held for the lengthened hold while the signal is open.
    await admin.admin.decide({ escrowId: sales[1]!.id, outcome: "release", note: "delivered as agreed" });
    const lengthened = await h.tdb.db.payoutHold.findUniqueOrThrow({ where: { escrowId: sales[1]!.id } });
    expect(lengthened.signalHold).toBe("lengthened");
    expect(lengthened.releaseAt.getTime()).toBe(clock.now().getTime() + LENGTHENED_HOLD_S * 1000);

    // A note is required; nothing is written without one.
    const reviewsBefore = await h.tdb.db.agentSignalReview.count();
    await expect(admin.admin.decideAgentCase({ agentId: w.agentId, decision: "clear", note: "  " })).rejects.toThrow(/note/);
    expect(await h.tdb.db.agentSignalReview.count()).toBe(reviewsBefore);

    // Clearing the signal: the held payout follows the normal (new tier) hold again; audit row written.
    const cleared = await admin.admin.decideAgentCase({ agentId: w.agentId, decision: "clear", note: "test orders from a QA run" });
    expect(cleared.action).toBeNull();
    const normal = await h.tdb.db.payoutHold.findUniqueOrThrow({ where: { escrowId: sales[1]!.id } });
    expect(normal.signalHold).toBeNull();
    expect(normal.releaseAt.getTime()).toBe(lengthened.createdAt.getTime() + NEW_HOLD_S * 1000);
    const audit = await admin.admin.auditLog({ action: "clear_signal", targetId: w.agentId });
    expect(audit).toHaveLength(1);
    expect(audit[0]!.note).toMatch(/^clear \(signal score 35\): test orders from a QA run$/);
    clock.advanceSeconds(NEW_HOLD_S);
    expect(await releaseDueHolds(engine())).toBeGreaterThanOrEqual(1);
    expect((await h.tdb.db.payoutHold.findUniqueOrThrow({ where: { escrowId: sales[1]!.id } })).releasedAt).not.toBeNull();

    // Cleared: the next silent customer's escrow is released by the timer as usual (held by the tier only).
    const b = await buyer(w, "After review");
    const next = await trivialSale(w, b);
    clock.advanceSeconds(49 * 3600);
    await fireDueTimers();
    expect((await h.tdb.db.escrow.findUniqueOrThrow({ where: { id: next.id } })).status).toBe("completed");
    expect(await checkDatabaseLedger(h.tdb.db)).toEqual([]);
  });

  it("a customer who wrote after the delivery is not absent: the timer releases even with a signal open", async () => {
    const w = await createWorld(h, { funds: 0, contract: null });
    for (let i = 0; i < 2; i++) await trivialSale(w, await buyer(w, `Quiet ${i}`));
    const b = await buyer(w, "Talker");
    const sale = await trivialSale(w, b);
    expect(await openSignalOf(h.tdb.db, w.agentId, SIGNAL_ACTIONS)).not.toBeNull();
    await h.tdb.db.message.create({
      data: { id: `msg_talk${Date.now()}`, conversationId: b.conversationId, role: "customer", text: "thanks, looks fine", createdAt: clock.now() },
    });
    clock.advanceSeconds(49 * 3600);
    await fireDueTimers();
    expect((await h.tdb.db.escrow.findUniqueOrThrow({ where: { id: sale.id } })).status).toBe("completed");
  });
});

describe("the owner's own accounts buying (issue 17 item 2)", () => {
  it("a second account buying and approving at once: after the first sale every payout waits the lengthened hold", async () => {
    const w = await createWorld(h, { funds: 0, contract: null });
    const second = await buyer(w, "Olivia's other account");
    const sales = [];
    for (let i = 0; i < 6; i++) {
      const sale = await trivialSale(w, second);
      await second.api.escrow.approve({ escrowId: sale.id });
      sales.push(sale);
    }
    const holds = await h.tdb.db.payoutHold.findMany({ where: { agentId: w.agentId }, orderBy: { createdAt: "asc" } });
    expect(holds.map((x) => x.signalHold)).toEqual([null, ...Array<string>(5).fill("lengthened")]);
    for (const hold of holds.slice(1)) expect(hold.releaseAt.getTime()).toBe(hold.createdAt.getTime() + LENGTHENED_HOLD_S * 1000);
    // After the normal hold only the first sale's payout has reached the wallet.
    clock.advanceSeconds(NEW_HOLD_S);
    await releaseDueHolds(engine());
    expect(await walletBalances(engine(), w.owner.id)).toEqual([{ currency: "USD", balanceMinor: 2_500, heldMinor: 5 * 2_500 }]);
    expect(await checkDatabaseLedger(h.tdb.db)).toEqual([]);
  });

  it("the owner buying from its own agent: payouts held with no release date, the agent a case of its own; restrict, then suspend", async () => {
    const w = await createWorld(h, { funds: 0, contract: null });
    const self = await buyer(w, "", w.owner);
    const admin = callerFor(engine(), await createUser(h.tdb.db, "admin"));
    for (let i = 0; i < 3; i++) {
      const sale = await trivialSale(w, self);
      await self.api.escrow.approve({ escrowId: sale.id });
    }
    const holds = await h.tdb.db.payoutHold.findMany({ where: { agentId: w.agentId }, orderBy: { createdAt: "asc" } });
    // Self-dealing (50) alone lengthens; with the trivial, reused file (35 more) payouts stop for review.
    expect(holds.map((x) => x.signalHold)).toEqual(["lengthened", "review", "review"]);
    clock.advanceSeconds(60 * 24 * 3600);
    await releaseDueHolds(engine());
    const stillHeld = await h.tdb.db.payoutHold.count({ where: { agentId: w.agentId, releasedAt: null, signalHold: "review" } });
    expect(stillHeld).toBe(2);

    const cases = await admin.admin.agentCases();
    const mine = cases.find((c) => c.agent.id === w.agentId);
    expect(mine?.action).toBe("hold_payouts");
    expect(mine?.held_payouts.filter((p) => p.signal_hold === "review")).toHaveLength(2);
    expect(mine?.signals.map((s) => s.kind)).toContain("self_dealing");

    // The owner sees why, in plain words.
    const owner = callerFor(engine(), w.owner);
    const payouts = (await owner.owner.payoutHolds()).find((a) => a.agent_id === w.agentId);
    expect(payouts?.explanation).toMatch(/^Payouts are held until a moderator reviews this agent's recent sales\. What we saw: .*purchase\(s\) paid by the agent's own owner/);
    expect(payouts?.held.filter((x) => x.release_at === null)).toHaveLength(2);

    // Restrict: the signal is closed, the tier pinned to restricted, held payouts follow the restricted hold.
    const restricted = await admin.admin.decideAgentCase({ agentId: w.agentId, decision: "restrict", note: "buys from itself" });
    expect(restricted.agent.restricted).toBe(true);
    const after = await h.tdb.db.payoutHold.findMany({ where: { agentId: w.agentId, releasedAt: null } });
    for (const hold of after) {
      expect(hold.signalHold).toBeNull();
      expect(hold.releaseAt.getTime()).toBe(hold.createdAt.getTime() + DEFAULT_TIER_POLICIES.restricted.payoutHoldS * 1000);
    }
    expect(await admin.admin.auditLog({ action: "restrict_agent", targetId: w.agentId })).toHaveLength(1);
    // The restriction is the tier pin (its one record), and the owner is told why payouts still wait.
    expect(await h.tdb.db.agentTierPin.findUnique({ where: { agentId: w.agentId } })).toMatchObject({ tier: "restricted", note: "buys from itself" });
    const afterRestrict = (await owner.owner.payoutHolds()).find((a) => a.agent_id === w.agentId);
    expect(afterRestrict?.explanation).toBe(
      "A moderator restricted this agent after reviewing its recent sales: its payouts wait 7 days before they reach your wallet, and its orders are capped lower.",
    );
    expect(afterRestrict?.held.every((x) => x.release_at !== null && /payouts of restricted agents wait/.test(x.reason))).toBe(true);
    // Lifting the pin lifts the restriction everywhere: the case no longer says restricted.
    await admin.admin.pinAgentTier({ agentId: w.agentId, tier: null, note: "owner verified" });
    expect((await admin.admin.agentCase({ agentId: w.agentId })).agent.restricted).toBe(false);
    expect((await owner.owner.payoutHolds()).find((a) => a.agent_id === w.agentId)?.explanation).toBeNull();

    // Suspend: the agent can no longer make offers.
    await admin.admin.decideAgentCase({ agentId: w.agentId, decision: "suspend", note: "confirmed collusion" });
    const refused = await w.client
      .createEscrow({ conversation_id: self.conversationId, title: "More", amount: 100, currency: "USD", service_id: w.serviceId })
      .then(() => null, (e: unknown) => e);
    expect(refused).toBeInstanceOf(HoldfastApiError);
    expect([401, 403]).toContain((refused as HoldfastApiError).status);
    expect(await admin.admin.auditLog({ action: "suspend_agent", targetId: w.agentId })).toHaveLength(1);
    expect(await checkDatabaseLedger(h.tdb.db)).toEqual([]);
  });
});

describe("prices are checked (issue 17 item 3)", () => {
  it("an offer at 10× the catalog price alerts the owner and tells the customer both prices; an offer off the catalog says so", async () => {
    const w = await createWorld(h, { funds: 0, contract: null });
    const b = await buyer(w, "Pricey");
    const offer = await w.client.createEscrow({ conversation_id: b.conversationId, title: "Logo", amount: 25_000, currency: "USD", service_id: w.serviceId });
    const alerts = await h.tdb.db.ownerAlert.findMany({ where: { escrowId: offer.id } });
    expect(alerts.map((a) => a.title)).toEqual([expect.stringMatching(/Offer above catalog price.*listed at \$25\.00/)]);
    const view = await b.api.escrow.byId({ escrowId: offer.id });
    expect(view.catalog_notice).toEqual({ kind: "above_catalog_price", text: "Listed at $25.00; this offer asks $250.00." });
    const offCatalog = await w.client.createEscrow({ conversation_id: b.conversationId, title: "Custom", amount: 2_500, currency: "USD" });
    expect((await b.api.escrow.byId({ escrowId: offCatalog.id })).catalog_notice).toEqual({ kind: "off_catalog", text: "Not from the catalog." });
    const atPrice = await w.client.createEscrow({ conversation_id: b.conversationId, title: "Logo", amount: 2_500, currency: "USD", service_id: w.serviceId });
    expect((await b.api.escrow.byId({ escrowId: atPrice.id })).catalog_notice).toBeNull();
  });
});
