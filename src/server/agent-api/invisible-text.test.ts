// Issue 16 item 15: a required text counts only if something in it is visible (src/domain/text.ts).
// A defence of one U+200B was accepted as "a written explanation"; here every text a party must write
// — the agent's defence, message, alert and offer title over real HTTP; the customer's dispute reason
// and message, the owner's reply, service and agent names, the moderator's note through tRPC — is
// refused when it holds only whitespace and invisible characters, with nothing written.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Escrow } from "~/client";
import { INVISIBLE_TEXTS } from "~/test/invisible-text-corpus";
import { createUser } from "~/test/users";
import { callerFor } from "../api/root";
import { createWorld, dataSnapshot, expectApiError, PNG_BYTES, startHarness, type Harness, type World } from "~/test/agent-api-harness";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
}, 60_000);
afterAll(() => h.close());

/** Non-empty texts that show nothing (the empty string is refused by the schemas already). */
// A lone surrogate is not text at all, and control characters but tab, LF and CR are not allowed in
// text: both transports refuse them as a malformed field (400) before any rule about required words
// runs (src/server/nul-text.ts; its own tests), so they are not in these cases.
const MALFORMED = /[\ud800-\udfff]|[\u0001-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/u;
const INVISIBLE = INVISIBLE_TEXTS.filter(([, text]) => text !== "" && !MALFORMED.test(text));

async function delivered(w: World): Promise<Escrow> {
  const offer = await w.client.createEscrow({ conversation_id: w.conversationId, title: "Logo", amount: 2_500, currency: "USD", service_id: w.serviceId });
  await w.customerApi.escrow.accept({ escrowId: offer.id });
  const artifact = await w.client.uploadFile({ name: "logo.png", bytes: PNG_BYTES, contentType: "image/png" });
  await w.client.sendMessage(w.conversationId, { text: "Here it is.", artifact_ids: [artifact.id], escrow_id: offer.id });
  return w.client.complete(offer.id);
}

async function disputed(w: World): Promise<Escrow> {
  const escrow = await delivered(w);
  await w.customerApi.escrow.dispute({ escrowId: escrow.id, reason: "The colours are wrong." });
  return w.client.getEscrow(escrow.id);
}

describe("the agent's required texts over the agent API", () => {
  it.each(INVISIBLE)("refuses a defence of %s as no explanation, writing nothing", async (_, text) => {
    const w = await createWorld(h);
    const escrow = await disputed(w);
    const before = await dataSnapshot(h);
    await expectApiError(w.client.defend(escrow.id, text), 422, "explanation_required");
    expect(await dataSnapshot(h)).toBe(before);
    expect((await w.client.getEscrow(escrow.id)).status).toBe("disputed");
  });

  it("still accepts a defence with visible text around invisible characters", async () => {
    const w = await createWorld(h);
    const escrow = await disputed(w);
    expect((await w.client.defend(escrow.id, "\u200b The logo matches the brief. \u200b")).status).toBe("negotiating");
  });

  it("refuses invisible message text, alert title and message, and offer title", async () => {
    const w = await createWorld(h);
    const before = await dataSnapshot(h);
    for (const text of ["\u200b", "\u2060\ufeff", "   \u00a0", "\u3164", "\u2800"]) {
      await expectApiError(w.client.sendMessage(w.conversationId, { text }), 400, "validation_error");
      await expectApiError(w.client.notifyOwner({ reason: "other", title: text, message: "Help", severity: "info" }), 400, "validation_error");
      await expectApiError(w.client.notifyOwner({ reason: "other", title: "Help", message: text, severity: "info" }), 400, "validation_error");
      await expectApiError(
        w.client.createEscrow({ conversation_id: w.conversationId, title: text, amount: 500, currency: "USD" }),
        400,
        "validation_error",
      );
    }
    expect(await dataSnapshot(h)).toBe(before);
  });
});

describe("people's required texts through tRPC", () => {
  it("refuses an invisible dispute reason and customer message", async () => {
    const w = await createWorld(h);
    const escrow = await delivered(w);
    const before = await dataSnapshot(h);
    for (const [, text] of INVISIBLE) {
      await expect(w.customerApi.escrow.dispute({ escrowId: escrow.id, reason: text })).rejects.toMatchObject({
        message: expect.stringMatching(/needs a reason/),
      });
    }
    await expect(w.customerApi.chat.send({ conversationId: w.conversationId, text: "\u200b\u200c" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await dataSnapshot(h)).toBe(before);
  });

  it("refuses an invisible moderator note", async () => {
    const w = await createWorld(h);
    const escrow = await disputed(w);
    await w.client.defend(escrow.id, "It matches the brief.");
    await w.customerApi.escrow.escalate({ escrowId: escrow.id });
    const moderator = callerFor(h.deps.engine, await createUser(h.tdb.db, "admin", "Morgan"));
    const before = await dataSnapshot(h);
    for (const note of ["\u200b", "\u2060\ufeff", "   \u00a0", "\u202e\u2066"]) {
      await expect(moderator.admin.decide({ escrowId: escrow.id, outcome: "release", note })).rejects.toMatchObject({
        message: expect.stringMatching(/needs a note/),
      });
    }
    expect(await dataSnapshot(h)).toBe(before);
    expect((await w.client.getEscrow(escrow.id)).status).toBe("admin_review");
  });

  it("refuses an owner's invisible reply, service title and agent name", async () => {
    const w = await createWorld(h);
    const owner = callerFor(h.deps.engine, w.owner);
    const alert = await w.client.notifyOwner({ reason: "other", title: "Discount?", message: "May I?", severity: "info" });
    const [services, agents] = [await h.tdb.db.service.count(), await h.tdb.db.agent.count()];
    const before = await dataSnapshot(h);
    for (const text of ["\u200b", "\u2060\ufeff", "   \u00a0", "\u115f\u1160"]) {
      await expect(owner.owner.reply({ alertId: alert.id, text })).rejects.toMatchObject({ code: "BAD_REQUEST" });
      await expect(
        owner.owner.saveService({ agentId: w.agentId, title: text, price: 1_000, deliveryInHours: 24, artifactContract: null }),
      ).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/visible text/) });
      await expect(owner.owner.createAgent({ handle: "ghost-agent", displayName: text })).rejects.toMatchObject({
        code: "BAD_REQUEST",
        message: expect.stringMatching(/visible text/),
      });
    }
    expect(await dataSnapshot(h)).toBe(before);
    expect([await h.tdb.db.service.count(), await h.tdb.db.agent.count()]).toEqual([services, agents]);
  });
});
