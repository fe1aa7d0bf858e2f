// The agent's statement for the moderator (issue 22 item 4), over real HTTP:
// accepted only while a case waits in admin_review, from the escrow's own
// agent, with its own uploaded files; a message the customer and the
// moderator read, audited, the state unchanged. Refused with a 4xx and
// nothing written before the review, after the decision, for another agent's
// escrow or another agent's file.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INVISIBLE_TEXTS } from "~/test/invisible-text-corpus";
import { createUser } from "~/test/users";
import { runEscrowCommand } from "../escrow/run-command";
import { call, createWorld, dataSnapshot, expectApiError, PNG_BYTES, startHarness, type Harness, type World } from "~/test/agent-api-harness";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

/** A delivered escrow, disputed, defended and escalated by the agent: it waits for a moderator. */
async function inReview(w: World) {
  const escrow = await w.client.createEscrow({ conversation_id: w.conversationId, title: "Logo", amount: 2_000, currency: "USD" });
  await w.customerApi.escrow.accept({ escrowId: escrow.id });
  const art = await w.client.uploadFile({ name: "logo.png", bytes: PNG_BYTES });
  await w.client.sendMessage(w.conversationId, { text: "done", artifact_ids: [art.id], escrow_id: escrow.id });
  await w.client.complete(escrow.id);
  return {
    escrow,
    toReview: async () => {
      await w.customerApi.escrow.dispute({ escrowId: escrow.id, reason: "Blurry" });
      await w.client.defend(escrow.id, "It is 512 px as agreed");
      const escalated = await w.client.escalate(escrow.id);
      expect(escalated.status).toBe("admin_review");
    },
  };
}

const statementsOf = (escrowId: string) => h.tdb.db.escrowEvent.count({ where: { escrowId, command: "statement" } });

describe("POST /escrows/{id}/statements", () => {
  it("adds the agent's statement and files during admin_review: a message on the escrow, an audit row, the state unchanged", async () => {
    const w = await createWorld(h);
    const { escrow, toReview } = await inReview(w);
    await toReview();
    const file = await w.client.uploadFile({ name: "source.png", bytes: PNG_BYTES });

    const message = await w.client.addStatement(escrow.reference_code, { text: "  The brief asked for 512 px.  ", artifact_ids: [file.id] });

    expect(message.text).toBe("The brief asked for 512 px.");
    expect(message.artifacts.map((a) => a.id)).toEqual([file.id]);
    expect(message.escrow_id).toBe(escrow.id);
    expect((await w.client.getEscrow(escrow.id)).status).toBe("admin_review");
    expect(await statementsOf(escrow.id)).toBe(1);
    // The customer reads it in the chat, like any message of the agent.
    const chat = await w.customerApi.chat.messages({ conversationId: w.conversationId });
    expect(JSON.stringify(chat)).toContain("The brief asked for 512 px.");
  });

  it("is refused before the case reaches a moderator, with nothing written", async () => {
    const w = await createWorld(h);
    const { escrow } = await inReview(w);
    const before = await dataSnapshot(h);
    await expectApiError(w.client.addStatement(escrow.id, { text: "Too early" }), 409, "invalid_transition");
    expect(await dataSnapshot(h)).toBe(before);
    expect(await statementsOf(escrow.id)).toBe(0);
  });

  it("is refused once the moderator has decided", async () => {
    const w = await createWorld(h);
    const { escrow, toReview } = await inReview(w);
    await toReview();
    const moderator = await createUser(h.tdb.db, "admin");
    await runEscrowCommand(h.deps.engine, escrow.id, { kind: "moderator", userId: moderator.id }, { command: "decide", outcome: "refund", note: "Refund." });
    const before = await dataSnapshot(h);
    await expectApiError(w.client.addStatement(escrow.id, { text: "Too late" }), 409, "invalid_transition");
    expect(await dataSnapshot(h)).toBe(before);
  });

  it("answers 404 for another agent's escrow and for another agent's file, and 400 for blank or oversized text, writing nothing", async () => {
    const w = await createWorld(h);
    const other = await createWorld(h);
    const { escrow, toReview } = await inReview(w);
    await toReview();
    const theirs = await other.client.uploadFile({ name: "x.png", bytes: PNG_BYTES });
    const before = await dataSnapshot(h);

    const cases = [
      { key: other.key.key, json: { text: "Not my case" }, status: 404, code: "not_found" },
      { key: w.key.key, json: { text: "With a stranger's file", artifact_ids: [theirs.id] }, status: 404, code: "not_found" },
      { key: w.key.key, json: { text: "   " }, status: 400, code: "validation_error" },
      { key: w.key.key, json: { text: "x".repeat(5_001) }, status: 400, code: "validation_error" },
      { key: w.key.key, json: { text: 42 }, status: 400, code: "validation_error" },
    ];
    for (const c of cases) {
      const response = await call(h, c.key, "POST", `/escrows/${escrow.id}/statements`, { json: c.json });
      expect({ status: response.status, code: (response.body as { error?: { code?: string } }).error?.code }).toEqual({
        status: c.status,
        code: c.code,
      });
    }
    expect(await dataSnapshot(h)).toBe(before);
    expect(await statementsOf(escrow.id)).toBe(0);
  });

  it("refuses a statement whose text shows nothing, even with the agent's own file attached (issue 16 item 15), writing nothing", async () => {
    const w = await createWorld(h);
    const { escrow, toReview } = await inReview(w);
    await toReview();
    const file = await w.client.uploadFile({ name: "source.png", bytes: PNG_BYTES });
    const before = await dataSnapshot(h);
    for (const [what, text] of INVISIBLE_TEXTS.filter(([, t]) => t.length > 0)) {
      const response = await call(h, w.key.key, "POST", `/escrows/${escrow.id}/statements`, { json: { text, artifact_ids: [file.id] } });
      expect([what, response.status]).toEqual([what, 400]);
    }
    expect(await dataSnapshot(h)).toBe(before);
    expect(await statementsOf(escrow.id)).toBe(0);
  });
});
