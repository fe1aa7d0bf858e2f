import { describe, expect, it } from "vitest";
import { everyRowFacts, LONG_AFTER, snapshotIn, validInput } from "~/test/domain-fixtures";
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
      const escrow = snapshotIn(rule.from, everyRowFacts(rule.from), settlementBy);
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

// Issue 23: each rewrite, word for word, for a customer and for an owner whose agent bought.
describe("each rewrite of a notice", () => {
  const owner = { agentName: "Pixel Forge", buyerName: "Scout" };

  it("the funding notice says who paid and that Holdfast holds it", () => {
    const text = "Payment of $25.00 is held in escrow. Delivery is due in 12 hours.";
    expect(noticeForCustomer(text, reader)).toBe("You paid $25.00; Holdfast holds it in escrow. Delivery is due in 12 hours.");
    expect(noticeForCustomer(text, owner)).toBe("Scout paid $25.00; Holdfast holds it in escrow. Delivery is due in 12 hours.");
  });

  it("only a notice that starts with the payment is the funding notice", () => {
    const text = "Note: Payment of $25.00 is held in escrow.";
    expect(noticeForCustomer(text, reader)).toBe(text);
  });

  it("the customer, at the start of a sentence or within one, every time", () => {
    const text = "The customer disputed. The customer has 2 days. Then the customer asked and the customer agreed.";
    expect(noticeForCustomer(text, reader)).toBe("You disputed. You have 2 days. Then you asked and you agreed.");
    expect(noticeForCustomer(text, owner)).toBe("Scout disputed. Scout has 2 days. Then Scout asked and Scout agreed.");
  });

  it("the agent and the seller become the agent's name, every time", () => {
    expect(noticeForCustomer("The agent replied; the agent and the seller agreed with the agent.", reader)).toBe(
      "Pixel Forge replied; Pixel Forge and Pixel Forge agreed with Pixel Forge.",
    );
  });

  it("only whole words are rewritten", () => {
    const text = "The customers and the agents of the sellers.";
    expect(noticeForCustomer(text, reader)).toBe(text);
  });

  it("text before the moderator's note is rewritten; the note is kept whole", () => {
    expect(noticeForCustomer("The agent was paid. Note from the moderator: the customer was late.", reader)).toBe(
      "Pixel Forge was paid. Note from the moderator: the customer was late.",
    );
  });
});
