// A tier never rises while a qualifying signal is open (issue 17 items 1 and 2), over the agent API on
// PostgreSQL: the freeze reads the same open-signal state that holds payouts — every signal the moderators
// see (auto-release on silence, trivial and reused files, the owner buying), not only what the record
// shows — and lasts until a moderator's clearing review covers its score. Then promotion resumes; a later,
// higher score freezes it again, on the offer path and on the accept's single locking statement alike.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HoldfastApiError } from "~/client";
import { DEFAULT_TIER_POLICIES } from "~/domain/risk";
import { SIGNAL_ACTIONS, type SignalActionRule } from "~/domain/signals";
import { createWorld, PNG_BYTES, startHarness, type Harness, type World } from "~/test/agent-api-harness";
import { testClock } from "~/test/engine-fixtures";
import { createUser } from "~/test/users";
import { callerFor } from "../api/root";
import { fireNextDueTimer } from "../jobs/fire-timer";
import { checkDatabaseLedger } from "../ledger/check";
import { ownerAgentRecords } from "../owner/console";
import { agentRiskProfile } from "./profile";

const clock = testClock();
let h: Harness;
const DAY_S = 24 * 3600;

beforeAll(async () => {
  h = await startHarness({}, clock);
});
afterAll(() => h.close());

/** The deployment's signal actions for one test (the freeze itself reads the score, whatever acts on payouts). */
function withSignalActions(rules: readonly SignalActionRule[]) {
  h.deps.engine = { ...h.deps.engine, config: { ...h.deps.engine.config, riskPolicies: DEFAULT_TIER_POLICIES, signalActions: rules } };
}
const engine = () => h.deps.engine;

type Buyer = { api: ReturnType<typeof callerFor>; conversationId: string };

async function buyer(w: World, domain: string, user?: Awaited<ReturnType<typeof createUser>>): Promise<Buyer> {
  const customer = user ?? (await createUser(h.tdb.db, "customer", "Buyer"));
  if (!user) await h.tdb.db.user.update({ where: { id: customer.id }, data: { email: `b-${customer.id.slice(-8)}@${domain}` } });
  const api = callerFor(engine(), customer);
  const { conversationId } = await api.chat.open({ agentHandle: w.handle });
  await api.wallet.addTestFunds({ amount: 100_000, currency: "USD" });
  return { api, conversationId };
}

/** Offer, payment and a delivery: a one-line JSON file (trivial, and the same bytes every time) or a PNG. */
async function delivered(w: World, b: Buyer, amount: number, file: "trivial" | "png") {
  const escrow = await w.client.createEscrow({ conversation_id: b.conversationId, title: "Logo", amount, currency: "USD" });
  await b.api.escrow.accept({ escrowId: escrow.id });
  clock.advanceSeconds(60);
  const art = file === "trivial" ? await w.client.uploadData({ name: "logo.json", data: { x: 1 } }) : await w.client.uploadFile({ name: "logo.png", bytes: PNG_BYTES });
  await w.client.sendMessage(b.conversationId, { text: "done", artifact_ids: [art.id], escrow_id: escrow.id });
  clock.advanceSeconds(1);
  await w.client.complete(escrow.id);
  return escrow;
}

async function fireDueTimers(): Promise<void> {
  for (let i = 0; i < 200 && (await fireNextDueTimer(engine())) !== null; i++);
}

async function refusal(p: Promise<unknown>): Promise<unknown> {
  return p.then(() => null, (e: unknown) => e);
}

async function ownerAt(w: World) {
  await h.tdb.db.user.update({ where: { id: w.owner.id }, data: { email: `olivia@studio-${w.agentId.slice(-8)}.example` } });
}

describe("the promotion freeze reads the open signal, not only the record", () => {
  it("auto-released trivial files: three unlinked buyers and a week earn standard, held at new until a moderator clears", async () => {
    withSignalActions([]); // the timer releases on silence here; the freeze does not depend on what acts on payouts
    const w = await createWorld(h, { funds: 0, contract: null });
    await ownerAt(w);
    for (const domain of ["one.example", "two.example", "three.example"]) {
      await delivered(w, await buyer(w, domain), 20_00, "trivial");
      clock.advanceSeconds(49 * 3600);
      await fireDueTimers();
    }
    expect(await h.tdb.db.escrow.count({ where: { agentId: w.agentId, status: "completed" } })).toBe(3);
    clock.advanceSeconds(8 * DAY_S);

    // Nothing the record shows (no owner purchase, no repeat buyer, no moderator loss) — the signals are
    // the customers' silence and the files: 30 + 20 + 15.
    const frozen = await agentRiskProfile(h.tdb.db, engine(), w.agentId);
    expect(frozen).toMatchObject({ tier: "new", signalScore: 65, promotionFrozen: true, judgement: { earned: "standard" } });
    expect(frozen.figures).toMatchObject({ ownerSales: 0, topBuyerSales: 1 });
    expect((await w.client.me()).risk_tier).toBe("new");
    // The offer path judges the same tier: 300.00 is above new's 250.00 a sale.
    const b = await buyer(w, "four.example");
    const refused = await refusal(w.client.createEscrow({ conversation_id: b.conversationId, title: "Big", amount: 300_00, currency: "USD" }));
    expect(refused).toBeInstanceOf(HoldfastApiError);
    expect((refused as HoldfastApiError).status).toBe(422);
    const [console] = await ownerAgentRecords(engine(), w.owner.id);
    expect(console).toMatchObject({ tier: "new", evidence: { promotionFrozen: true } });
    expect(console!.tierReasons.at(-1)).toMatchObject({ rule: "frozen", met: true, reason: "an open signal freezes promotion: held at new instead of standard" });

    // A moderator clears the signal: promotion resumes at once, everywhere the tier is read.
    const admin = callerFor(engine(), await createUser(h.tdb.db, "admin"));
    await admin.admin.decideAgentCase({ agentId: w.agentId, decision: "clear", note: "Customers confirmed by e-mail" });
    expect((await w.client.me()).risk_tier).toBe("standard");
    expect((await ownerAgentRecords(engine(), w.owner.id))[0]).toMatchObject({ tier: "standard", evidence: { promotionFrozen: false } });
    const big = await w.client.createEscrow({ conversation_id: b.conversationId, title: "Big", amount: 300_00, currency: "USD" });

    // The owner then buys from its own agent (self-dealing, 50 more): a score above the one cleared freezes
    // again, and the accept's single locking statement judges the frozen tier — the 300.00 offer made while
    // standard no longer fits new's limits.
    const self = await buyer(w, "", w.owner);
    const own = await w.client.createEscrow({ conversation_id: self.conversationId, title: "Own", amount: 10_00, currency: "USD" });
    await self.api.escrow.accept({ escrowId: own.id });
    expect(await agentRiskProfile(h.tdb.db, engine(), w.agentId)).toMatchObject({ tier: "new", signalScore: 115, promotionFrozen: true });
    await expect(b.api.escrow.accept({ escrowId: big.id })).rejects.toThrow(/250\.00/);
    expect((await h.tdb.db.escrow.findUniqueOrThrow({ where: { id: big.id } })).status).toBe("pending");
    expect(await checkDatabaseLedger(h.tdb.db)).toEqual([]);
  });

  it("the owner's purchase, with the deployment's signal actions: frozen while open, promotion resumes when cleared, and stays on at the score cleared", async () => {
    withSignalActions(SIGNAL_ACTIONS);
    const w = await createWorld(h, { funds: 0, contract: null });
    await ownerAt(w);
    const self = await buyer(w, "", w.owner);
    await self.api.escrow.approve({ escrowId: (await delivered(w, self, 10_00, "png")).id });
    for (const domain of ["one.example", "two.example", "three.example"]) {
      const b = await buyer(w, domain);
      await b.api.escrow.approve({ escrowId: (await delivered(w, b, 20_00, "png")).id });
    }
    clock.advanceSeconds(8 * DAY_S);
    // Self-dealing (50) and the same tiny PNG on four orders (trivial 20, reused 15): payouts stop for review,
    // and the tier is frozen.
    expect(await agentRiskProfile(h.tdb.db, engine(), w.agentId)).toMatchObject({ tier: "new", signalScore: 85, promotionFrozen: true });
    expect((await w.client.me()).risk_tier).toBe("new");

    const admin = callerFor(engine(), await createUser(h.tdb.db, "admin"));
    await admin.admin.decideAgentCase({ agentId: w.agentId, decision: "clear", note: "The owner tested the delivery once" });
    expect((await w.client.me()).risk_tier).toBe("standard");
    // Another sale to a new buyer, same score: still covered by the review, still standard.
    const b = await buyer(w, "five.example");
    await b.api.escrow.approve({ escrowId: (await delivered(w, b, 20_00, "png")).id });
    expect(await agentRiskProfile(h.tdb.db, engine(), w.agentId)).toMatchObject({ tier: "standard", signalScore: 85, promotionFrozen: false });
    expect(await h.tdb.db.moderationAction.count({ where: { action: "clear_signal", targetId: w.agentId } })).toBe(1);
    expect(await checkDatabaseLedger(h.tdb.db)).toEqual([]);
  });
});
