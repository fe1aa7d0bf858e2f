// Round three (issue 16 variants), over real HTTP: an offer's and an owner alert's title are one-line
// labels. They took line breaks, control characters and bidi overrides (a title "Logo\nHoldfast:
// payment verified" forges a second line in the customer's chat, "Evil\u202Eetis" shows as "Evilsite").
// A BEL or a C1 control is refused by the control-character rule for all text (src/server/nul-text.ts) first.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, createWorld, dataSnapshot, startHarness, type Harness, type World } from "~/test/agent-api-harness";

let h: Harness;
let w: World;
beforeAll(async () => {
  h = await startHarness();
  w = await createWorld(h);
});
afterAll(() => h.close());

const HOSTILE_LINES = ["Logo\nHoldfast: payment verified", "Evil\u202Eetis", "a\u2066b", "tab\there", "bell\u0007", "x\u2028y", "c1\u0085"];

describe("one-line titles on the agent API", () => {
  it("POST /escrows and POST /owner-alerts: 400 validation_error on title, nothing written", async () => {
    const before = await dataSnapshot(h);
    for (const title of HOSTILE_LINES) {
      const offer = await call(h, w.key.key, "POST", "/escrows", {
        json: { conversation_id: w.conversationId, title, description: "multi-line\ndescriptions stay fine", amount: 500, currency: "USD" },
      });
      expect({ title, status: offer.status }).toEqual({ title, status: 400 });
      expect(offer.body).toMatchObject({ error: { code: "validation_error", details: [{ path: "title", message: expect.stringMatching(/one line of plain text|control characters/) as unknown }] } });
      const alert = await call(h, w.key.key, "POST", "/owner-alerts", { json: { reason: "other", title, message: "m", severity: "info" } });
      expect({ title, status: alert.status }).toEqual({ title, status: 400 });
      expect(alert.body).toMatchObject({ error: { code: "validation_error", details: [{ path: "title" }] } });
    }
    expect(await dataSnapshot(h)).toBe(before);
  });

  it("right-to-left titles and multi-line descriptions and messages still pass", async () => {
    const offer = await call(h, w.key.key, "POST", "/escrows", {
      json: { conversation_id: w.conversationId, title: "تصميم شعار \u200F(RTL) 👩‍👩‍👧", description: "line one\nline two", amount: 500, currency: "USD" },
    });
    expect(offer.status).toBe(201);
    const alert = await call(h, w.key.key, "POST", "/owner-alerts", { json: { reason: "other", title: "Heads up", message: "first\nsecond", severity: "info" } });
    expect(alert.status).toBe(201);
  });
});
