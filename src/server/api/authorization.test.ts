// The authorization matrix for every tRPC procedure (issue 10): each one is
// called as an anonymous visitor, as customer A on A's objects, as customer B
// on A's objects, as an owner and as a moderator. Refusals must be exactly the
// designed ones and change no row. A procedure without an entry here fails the
// test, so nothing new ships without a decided policy.
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "~/test/db";
import { createParties, deliverArtifact, fund, offer, testClock, testContext, type Parties } from "~/test/engine-fixtures";
import { createUser } from "~/test/users";
import type { EngineContext } from "../context";
import { runEscrowCommand } from "../escrow/run-command";
import { appRouter, callerFor } from "./root";
import type { SessionUser } from "../auth/session-user";

/**
 * Who may call it: anyone; any signed-in person on their own data; only the object's customer;
 * moderators; agent owners on their own data; only the owner of the object's agent (the matrix's
 * owner is another owner, so they get NOT_FOUND).
 */
type Access = "public" | "self" | "customer_object" | "admin" | "owner" | "owner_object";

interface World {
  p: Parties;
  escrowId: string;
  agentHandle: string;
  alertId: string;
  /** A failed notification, for the operations page's retry / give up. */
  notificationId: string;
}

type Call = (api: ReturnType<typeof callerFor>, w: World) => Promise<unknown>;

const MATRIX: Record<string, { access: Access; call: Call }> = {
  "escrow.byId": { access: "customer_object", call: (a, w) => a.escrow.byId({ escrowId: w.escrowId }) },
  "escrow.list": { access: "self", call: (a) => a.escrow.list() },
  "escrow.evaluation": { access: "customer_object", call: (a, w) => a.escrow.evaluation({ escrowId: w.escrowId }) },
  "escrow.addStatement": { access: "customer_object", call: (a, w) => a.escrow.addStatement({ escrowId: w.escrowId, text: "For the moderator." }) },
  "escrow.accept": { access: "customer_object", call: (a, w) => a.escrow.accept({ escrowId: w.escrowId }) },
  "escrow.decline": { access: "customer_object", call: (a, w) => a.escrow.decline({ escrowId: w.escrowId }) },
  "escrow.approve": { access: "customer_object", call: (a, w) => a.escrow.approve({ escrowId: w.escrowId }) },
  "escrow.dispute": { access: "customer_object", call: (a, w) => a.escrow.dispute({ escrowId: w.escrowId, reason: "broken" }) },
  "escrow.cancelOverdue": { access: "customer_object", call: (a, w) => a.escrow.cancelOverdue({ escrowId: w.escrowId }) },
  "escrow.extendReview": { access: "customer_object", call: (a, w) => a.escrow.extendReview({ escrowId: w.escrowId }) },
  "escrow.withdrawDispute": { access: "customer_object", call: (a, w) => a.escrow.withdrawDispute({ escrowId: w.escrowId }) },
  "escrow.proposeSettlement": {
    access: "customer_object",
    call: (a, w) => a.escrow.proposeSettlement({ escrowId: w.escrowId, refundAmount: 100 }),
  },
  "escrow.acceptSettlement": {
    access: "customer_object",
    call: (a, w) => a.escrow.acceptSettlement({ escrowId: w.escrowId, settlementId: "stl_none" }),
  },
  "escrow.escalate": { access: "customer_object", call: (a, w) => a.escrow.escalate({ escrowId: w.escrowId }) },
  "chat.open": { access: "self", call: (a, w) => a.chat.open({ agentHandle: w.agentHandle }) },
  "chat.conversations": { access: "self", call: (a) => a.chat.conversations() },
  "chat.conversation": { access: "customer_object", call: (a, w) => a.chat.conversation({ conversationId: w.p.conversationId }) },
  "chat.messages": { access: "customer_object", call: (a, w) => a.chat.messages({ conversationId: w.p.conversationId }) },
  "chat.send": { access: "customer_object", call: (a, w) => a.chat.send({ conversationId: w.p.conversationId, text: "hello" }) },
  "wallet.balance": { access: "self", call: (a) => a.wallet.balance() },
  "wallet.history": { access: "self", call: (a) => a.wallet.history() },
  "wallet.addTestFunds": { access: "self", call: (a) => a.wallet.addTestFunds({ amount: 100, currency: "USD" }) },
  "wallet.startCardPayment": { access: "self", call: (a) => a.wallet.startCardPayment({ purpose: "wallet", amount: 100, currency: "USD" }) },
  "wallet.pendingCardPayments": { access: "self", call: (a) => a.wallet.pendingCardPayments() },
  "wallet.cardPayments": { access: "self", call: (a) => a.wallet.cardPayments() },
  "wallet.refundableToCard": { access: "self", call: (a) => a.wallet.refundableToCard({ currency: "USD" }) },
  "wallet.returnToCard": { access: "self", call: (a) => a.wallet.returnToCard({ amount: 100, currency: "USD" }) },
  "wallet.payouts": { access: "owner", call: (a) => a.wallet.payouts() },
  "wallet.connectPayoutAccount": { access: "owner", call: (a) => a.wallet.connectPayoutAccount() },
  "wallet.refreshPayoutAccount": { access: "owner", call: (a) => a.wallet.refreshPayoutAccount() },
  "wallet.withdraw": { access: "owner", call: (a) => a.wallet.withdraw({ amount: 100, currency: "USD" }) },
  "market.agents": { access: "public", call: (a) => a.market.agents() },
  "market.agent": { access: "public", call: (a, w) => a.market.agent({ handle: w.agentHandle }) },
  "orders.list": { access: "self", call: (a) => a.orders.list() },
  "admin.queue": { access: "admin", call: (a) => a.admin.queue() },
  "admin.recentDecisions": { access: "admin", call: (a) => a.admin.recentDecisions() },
  "admin.chargebacks": { access: "admin", call: (a) => a.admin.chargebacks() },
  "admin.signals": { access: "admin", call: (a) => a.admin.signals() },
  "admin.agentCases": { access: "admin", call: (a) => a.admin.agentCases() },
  "admin.agentCase": { access: "admin", call: (a, w) => a.admin.agentCase({ agentId: w.p.agentId }) },
  "admin.decideAgentCase": { access: "admin", call: (a, w) => a.admin.decideAgentCase({ agentId: w.p.agentId, decision: "clear", note: "n" }) },
  "admin.case": { access: "admin", call: (a, w) => a.admin.case({ escrowId: w.escrowId }) },
  "admin.decide": { access: "admin", call: (a, w) => a.admin.decide({ escrowId: w.escrowId, outcome: "refund", note: "n" }) },
  "admin.suspendAgent": { access: "admin", call: (a, w) => a.admin.suspendAgent({ agentId: w.p.agentId, suspended: false, note: "n" }) },
  "admin.pinAgentTier": { access: "admin", call: (a, w) => a.admin.pinAgentTier({ agentId: w.p.agentId, tier: null, note: "n" }) },
  "admin.suspendUser": { access: "admin", call: (a, w) => a.admin.suspendUser({ userId: w.p.customerId, suspended: false, note: "n" }) },
  "admin.auditLog": { access: "admin", call: (a) => a.admin.auditLog() },
  "admin.ops": { access: "admin", call: (a) => a.admin.ops() },
  "admin.ledgerAlert": { access: "admin", call: (a) => a.admin.ledgerAlert() },
  "admin.runLedgerCheck": { access: "admin", call: (a) => a.admin.runLedgerCheck() },
  "admin.retryDelivery": { access: "admin", call: (a, w) => a.admin.retryDelivery({ kind: "notification", id: w.notificationId }) },
  "admin.giveUpDelivery": { access: "admin", call: (a, w) => a.admin.giveUpDelivery({ kind: "notification", id: w.notificationId }) },
  "owner.overview": { access: "owner", call: (a) => a.owner.overview() },
  "owner.payoutHolds": { access: "owner", call: (a) => a.owner.payoutHolds() },
  "owner.escrows": { access: "owner", call: (a) => a.owner.escrows() },
  "owner.order": { access: "owner_object", call: (a, w) => a.owner.order({ escrowId: w.escrowId }) },
  "owner.agentRecords": { access: "owner", call: (a) => a.owner.agentRecords() },
  "owner.createAgent": { access: "owner", call: (a) => a.owner.createAgent({ handle: "Bad Handle!", displayName: "x" }) },
  "owner.rotateKey": { access: "owner_object", call: (a, w) => a.owner.rotateKey({ agentId: w.p.agentId }) },
  "owner.revokeKey": { access: "owner_object", call: (a, w) => a.owner.revokeKey({ agentId: w.p.agentId, keyId: "key_none" }) },
  "owner.setWebhook": { access: "owner_object", call: (a, w) => a.owner.setWebhook({ agentId: w.p.agentId, url: null }) },
  "owner.setPurchasing": {
    access: "owner_object",
    call: (a, w) => a.owner.setPurchasing({ agentId: w.p.agentId, enabled: true, limit: 1_000 }),
  },
  "owner.setEvaluator": {
    access: "owner_object",
    call: (a, w) => a.owner.setEvaluator({ agentId: w.p.agentId, enabled: true, fee: 0 }),
  },
  "owner.saveService": {
    access: "owner_object",
    call: (a, w) => a.owner.saveService({ agentId: w.p.agentId, title: "x", price: 100, deliveryInHours: 1 }),
  },
  "owner.setThreshold": { access: "owner", call: (a) => a.owner.setThreshold({ amount: 0, currency: "USD" }) },
  "owner.channels": { access: "owner", call: (a) => a.owner.channels() },
  "owner.saveChannel": { access: "owner", call: (a) => a.owner.saveChannel({ channel: "whatsapp", address: "not a number" }) },
  "owner.verifyChannel": { access: "owner", call: (a) => a.owner.verifyChannel({ channel: "whatsapp", code: "000000" }) },
  "owner.removeChannel": { access: "owner", call: (a) => a.owner.removeChannel({ channel: "whatsapp" }) },
  "owner.telegramLink": { access: "owner", call: (a) => a.owner.telegramLink() },
  "owner.sendTest": { access: "owner", call: (a) => a.owner.sendTest({ channel: "telegram" }) },
  "owner.alerts": { access: "owner", call: (a) => a.owner.alerts() },
  "owner.alert": { access: "owner_object", call: (a, w) => a.owner.alert({ alertId: w.alertId }) },
  "owner.reply": { access: "owner_object", call: (a, w) => a.owner.reply({ alertId: w.alertId, text: "do it" }) },
};

let tdb: TestDatabase;
let ctx: EngineContext;
let world: World;
const users = {} as Record<"customerA" | "customerB" | "owner" | "admin", SessionUser>;

beforeAll(async () => {
  tdb = await createTestDatabase();
  const clock = testClock();
  ctx = testContext(tdb.db, clock, 0);
  const p = await createParties(tdb.db);
  await fund(ctx, p.customerId, 10_000);
  const escrow = await offer(ctx, p);
  await runEscrowCommand(ctx, escrow.id, { kind: "customer", userId: p.customerId }, { command: "accept" });
  clock.advanceSeconds(5);
  await deliverArtifact(ctx, p, escrow.id);
  const agent = await tdb.db.agent.findUniqueOrThrow({ where: { id: p.agentId } });
  const alert = await tdb.db.ownerAlert.create({
    data: { id: "alr_matrix", ownerId: p.ownerId, agentId: p.agentId, reason: "other", title: "t", message: "m", severity: "info", conversationId: p.conversationId },
  });
  const notification = await tdb.db.notification.create({
    data: { id: "ntf_matrix", channel: "email", address: "x@test", template: "t", subject: "s", body: "b", dedupeKey: "matrix", status: "failed", attempts: 8, nextAttemptAt: clock.now() },
  });
  world = { p, escrowId: escrow.id, agentHandle: agent.handle, alertId: alert.id, notificationId: notification.id };
  const a = await tdb.db.user.findUniqueOrThrow({ where: { id: p.customerId } });
  users.customerA = { id: a.id, email: a.email, displayName: a.displayName, role: "customer" };
  users.customerB = await createUser(tdb.db, "customer", "Stranger");
  users.owner = await createUser(tdb.db, "owner", "Another owner");
  users.admin = await createUser(tdb.db, "admin", "Moderator");
});
afterAll(() => tdb.drop());

/** Everything a procedure could change, as one comparable string. */
async function snapshot(): Promise<string> {
  const rows = await tdb.db.$queryRaw<{ digest: string }[]>`
    SELECT md5(concat_ws('|',
      (SELECT string_agg(id || status || version, ',' ORDER BY id) FROM escrows),
      (SELECT string_agg(key || balance_minor, ',' ORDER BY key) FROM ledger_accounts),
      (SELECT count(*) FROM messages), (SELECT count(*) FROM agent_events), (SELECT count(*) FROM settlements),
      (SELECT count(*) FROM conversations), (SELECT count(*) FROM moderation_actions), (SELECT count(*) FROM ledger_transfers),
      (SELECT string_agg(id || status, ',' ORDER BY id) FROM users), (SELECT string_agg(id || status, ',' ORDER BY id) FROM agents),
      (SELECT string_agg(id || coalesce(revoked_at::text, ''), ',' ORDER BY id) FROM agent_api_keys), (SELECT count(*) FROM services),
      (SELECT count(*) FROM owner_channels), (SELECT count(*) FROM owner_settings), (SELECT string_agg(id || status || next_attempt_at || coalesce(given_up_at::text, ''), ',' ORDER BY id) FROM notifications),
      (SELECT string_agg(id || status, ',' ORDER BY id) FROM owner_alerts), (SELECT count(*) FROM telegram_link_tokens),
      (SELECT count(*) FROM ledger_check_runs)
    )) AS digest`;
  return rows[0]!.digest;
}

/** The refusal each caller must get, or null when the call is theirs to make. */
function expectedRefusal(access: Access, who: "anonymous" | keyof typeof users): TRPCError["code"] | null {
  if (access === "public") return null;
  if (who === "anonymous") return "UNAUTHORIZED";
  if (access === "owner") return who === "owner" ? null : "FORBIDDEN";
  if (access === "owner_object") return who === "owner" ? "NOT_FOUND" : "FORBIDDEN";
  if (access === "admin") return who === "admin" ? null : "FORBIDDEN";
  if (access === "customer_object") return who === "customerA" ? null : "NOT_FOUND";
  return null;
}

it("every procedure has a decided policy", () => {
  const procedures = Object.keys(appRouter._def.procedures).sort();
  expect(procedures).toEqual(Object.keys(MATRIX).sort());
});

describe("refusals change nothing", () => {
  for (const [path, entry] of Object.entries(MATRIX)) {
    for (const who of ["anonymous", "customerB", "owner", "admin", "customerA"] as const) {
      const refusal = expectedRefusal(entry.access, who);
      if (!refusal) continue;
      it(`${path} as ${who} → ${refusal}`, async () => {
        const before = await snapshot();
        const api = callerFor(ctx, who === "anonymous" ? null : users[who]);
        await expect(entry.call(api, world)).rejects.toMatchObject({ code: refusal });
        expect(await snapshot()).toBe(before);
      });
    }
  }
});

describe("allowed callers get past authorization", () => {
  const AUTH_CODES = ["UNAUTHORIZED", "FORBIDDEN", "NOT_FOUND"];
  for (const [path, entry] of Object.entries(MATRIX)) {
    for (const who of ["anonymous", "customerA", "customerB", "owner", "admin"] as const) {
      if (expectedRefusal(entry.access, who) !== null) continue;
      if (entry.access === "public" && who !== "anonymous") continue;
      it(`${path} as ${who}`, async () => {
        const api = callerFor(ctx, who === "anonymous" ? null : users[who]);
        try {
          await entry.call(api, world);
        } catch (error) {
          // A domain refusal (the escrow's state) is fine here; an authorization refusal is not.
          expect(error).toBeInstanceOf(TRPCError);
          expect(AUTH_CODES).not.toContain((error as TRPCError).code);
        }
      });
    }
  }
});
