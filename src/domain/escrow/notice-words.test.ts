import { describe, expect, it } from "vitest";
import { LONG_AFTER, snapshotIn, validInput } from "~/test/domain-fixtures";
import { decide } from "./decide";
import { noticeForCustomer } from "./notice-words";
import { TRANSITIONS } from "./transitions";
import { DEFAULT_TIME_WINDOWS } from "./types";

const reader = { agentName: "Pixel Forge", buyerName: null };

/** Every notice the engine writes: one per (row, actor), decided on a fixture in the row's state. */
function everyNotice(): Array<{ command: string; actor: string; text: string }> {
  const notices: Array<{ command: string; actor: string; text: string }> = [];
  for (const rule of TRANSITIONS) {
    for (const actor of rule.actors) {
      const settlementBy = actor === "customer" ? "agent" : "customer";
      const escrow = snapshotIn(rule.from, {}, settlementBy);
      const result = decide(escrow, validInput(rule.command, escrow), actor, LONG_AFTER, DEFAULT_TIME_WINDOWS, "USD");
      if (result.ok && !result.noop && result.systemMessage) {
        notices.push({ command: rule.command, actor, text: result.systemMessage });
      }
    }
  }
  return notices;
}

describe("noticeForCustomer", () => {
  const notices = everyNotice();

  it("covers every transition row (or the checks below are hollow)", () => {
    expect(new Set(notices.map((n) => n.command)).size).toBe(new Set(TRANSITIONS.map((r) => r.command)).size);
  });

  it.each(notices)("$command by $actor addresses the customer as you and names the agent", ({ actor, text }) => {
    const words = noticeForCustomer(text, reader);
    expect(words).not.toMatch(/\bthe customer\b/i);
    expect(words).not.toMatch(/\bthe (agent|seller)\b/i);
    expect(words).not.toMatch(/\b[a-z]+_[a-z_]+\b/); // no raw codes (admin_review, propose_settlement…)
    if (actor === "customer") expect(words).toMatch(/^You /);
    if (actor === "agent") expect(words).toMatch(/^Pixel Forge /);
  });

  it("keeps verbs in agreement and money to the right party", () => {
    expect(noticeForCustomer("The agent delivered the work. The customer has 48 hours to approve it.", reader)).toBe(
      "Pixel Forge delivered the work. You have 48 hours to approve it.",
    );
    expect(noticeForCustomer("$10.00 was refunded to the customer and $13.50 was released to the seller.", reader)).toBe(
      "$10.00 was refunded to you and $13.50 was released to Pixel Forge.",
    );
  });

  it("names the owner's buying agent instead of 'you' in its purchase conversation", () => {
    expect(noticeForCustomer("The customer has 2 hours.", { agentName: "Pixel Forge", buyerName: "Scout" })).toBe("Scout has 2 hours.");
  });

  it("never rewrites the moderator's quoted note", () => {
    const text = "A moderator decided the case. Note from the moderator: the customer asked the agent twice.";
    expect(noticeForCustomer(text, reader)).toBe(text);
  });

  it("leaves the stored notice (the agent's text) in the third person", () => {
    const approve = notices.find((n) => n.command === "approve" && n.actor === "customer");
    expect(approve?.text).toMatch(/^The customer /);
  });
});
