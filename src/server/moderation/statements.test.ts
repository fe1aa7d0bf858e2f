// Statements for the moderator, over HTTP as the browser sends them: accepted
// only while a case waits in admin_review, from the escrow's own customer,
// written as a message tied to the escrow and audited; refused with a 4xx and
// nothing written before the review and after the decision.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createParties, deliveredEscrow, testClock, testContext } from "~/test/engine-fixtures";
import { openTrpcRoute, SAME_ORIGIN_HEADERS, TRPC_BASE_URL, type TrpcRoute } from "~/test/trpc-route";
import { INVISIBLE_TEXTS } from "~/test/invisible-text-corpus";
import { createUser } from "~/test/users";
import { runEscrowCommand } from "../escrow/run-command";
import { adminQueue } from "./queue";

let route: TrpcRoute;
beforeAll(async () => {
  route = await openTrpcRoute();
});
afterAll(() => route.close());

async function post(path: string, token: string, body: unknown) {
  const response = await route.POST(
    new Request(`${TRPC_BASE_URL}/api/trpc/${path}`, {
      method: "POST",
      headers: { ...SAME_ORIGIN_HEADERS, cookie: `next-auth.session-token=${token}` },
      body: JSON.stringify({ json: body }),
    }),
  );
  return { status: response.status, body: (await response.json()) as { error?: { json: { data: { appCode: string } } } } };
}

/** A delivered escrow, disputed, that the agent never answered: it waits for a moderator. */
async function world() {
  const clock = testClock();
  const ctx = testContext(route.tdb.db, clock);
  const p = await createParties(route.tdb.db);
  const escrow = await deliveredEscrow(ctx, clock, p);
  await runEscrowCommand(ctx, escrow.id, { kind: "customer", userId: p.customerId }, { command: "dispute", reason: "Blurry" });
  const token = await route.createSession(p.customerId);
  const toReview = async () => {
    clock.advanceSeconds(48 * 3600 + 1);
    await runEscrowCommand(ctx, escrow.id, { kind: "timer" }, { command: "response_timeout" });
  };
  return { ctx, p, escrow, token, toReview };
}

const statementsOf = (escrowId: string) =>
  route.tdb.db.escrowEvent.count({ where: { escrowId, command: "statement" } });

describe("statements for the moderator", () => {
  it("are refused before the case reaches a moderator, with nothing written", async () => {
    const { escrow, token, p } = await world();
    const before = await route.tdb.db.message.count({ where: { conversationId: p.conversationId } });
    const refused = await post("escrow.addStatement", token, { escrowId: escrow.id, text: "Too early" });
    expect(refused.status).toBe(409);
    expect(refused.body.error?.json.data.appCode).toBe("invalid_transition");
    expect(await route.tdb.db.message.count({ where: { conversationId: p.conversationId } })).toBe(before);
    expect(await statementsOf(escrow.id)).toBe(0);
  });

  it("are added during admin_review: a message on the escrow, an audit row, the state and the queue's route unchanged", async () => {
    const { ctx, escrow, token, toReview } = await world();
    await toReview();
    const ok = await post("escrow.addStatement", token, { escrowId: escrow.id, text: "The colours are wrong, see my first message." });
    expect(ok.status).toBe(200);
    const message = await route.tdb.db.message.findFirstOrThrow({ where: { escrowId: escrow.id, role: "customer" } });
    expect(message.text).toBe("The colours are wrong, see my first message.");
    const audit = await route.tdb.db.escrowEvent.findFirstOrThrow({ where: { escrowId: escrow.id, command: "statement" } });
    expect(audit).toMatchObject({ fromStatus: "admin_review", toStatus: "admin_review", actorKind: "customer" });
    const row = await route.tdb.db.escrow.findUniqueOrThrow({ where: { id: escrow.id } });
    expect(row.status).toBe("admin_review");
    const item = (await adminQueue(ctx)).find((q) => q.escrow_id === escrow.id);
    expect(item?.route).toBe("response_timeout");
  });

  it("are refused from anyone but the escrow's customer, and empty or oversized ones are 400", async () => {
    const { escrow, token, toReview } = await world();
    await toReview();
    const stranger = await createUser(route.tdb.db, "customer");
    const strangerToken = await route.createSession(stranger.id);
    expect((await post("escrow.addStatement", strangerToken, { escrowId: escrow.id, text: "Me too" })).status).toBe(404);
    expect((await post("escrow.addStatement", token, { escrowId: escrow.id, text: "   " })).status).toBe(400);
    expect((await post("escrow.addStatement", token, { escrowId: escrow.id, text: "x".repeat(5_001) })).status).toBe(400);
    // Invisible characters alone are no statement either (zero-width, bidi marks, fillers, braille blank…).
    for (const [what, text] of INVISIBLE_TEXTS.filter(([, t]) => t.length > 0)) {
      expect([what, (await post("escrow.addStatement", token, { escrowId: escrow.id, text })).status]).toEqual([what, 400]);
    }
    expect(await statementsOf(escrow.id)).toBe(0);
  });

  it("are refused once the moderator has decided", async () => {
    const { ctx, escrow, token, toReview } = await world();
    await toReview();
    const moderator = await createUser(route.tdb.db, "admin");
    await runEscrowCommand(ctx, escrow.id, { kind: "moderator", userId: moderator.id }, { command: "decide", outcome: "refund", note: "Refund." });
    const refused = await post("escrow.addStatement", token, { escrowId: escrow.id, text: "Late" });
    expect(refused.status).toBe(409);
    expect(await statementsOf(escrow.id)).toBe(0);
  });
});
