// The owner's words → one action, and the action → steps in the order's state: the rule table read
// against the phrasings owners use (including the ones that failed before: "offer a full refund",
// "tell them that's out of scope"), and every state of the lifecycle the agent can be asked in.
import { describe, expect, it } from "vitest";
import {
  actionFromModel, OWNER_INSTRUCTION_RULES, planOwnerAction, readOwnerInstruction, relayedClause, statedAmount, statedAmountMinor, type OrderFacts,
} from "./owner-instructions";

describe("readOwnerInstruction", () => {
  it.each([
    ["offer a full refund", { kind: "refund" }],
    ["approve the refund", { kind: "refund" }],
    ["Refund them.", { kind: "refund" }],
    ["give them their money back", { kind: "refund" }],
    ["ok refund in full please", { kind: "refund" }],
    ["refund $10", { kind: "split", refund: { kind: "money", major: "10" } }],
    ["refund $10, please", { kind: "split", refund: { kind: "money", major: "10" } }],
    ["Refund 12.5.", { kind: "split", refund: { kind: "money", major: "12.5" } }],
    ["give them 12.50 back", { kind: "split", refund: { kind: "money", major: "12.50" } }],
    ["not a full refund, give them half back", { kind: "split", refund: { kind: "percent", percent: 50 } }],
    ["propose a split: $7,50 to the customer", { kind: "split", refund: { kind: "money", major: "7.50" } }],
    ["split it 50/50", { kind: "split", refund: { kind: "percent", percent: 50 } }],
    ["settle for 40%", { kind: "split", refund: { kind: "percent", percent: 40 } }],
    ["meet them halfway", { kind: "split", refund: { kind: "percent", percent: 50 } }],
    ["tell them that's out of scope", { kind: "decline" }],
    ["That is outside our catalog, decline", { kind: "decline" }],
    ["we don't do that", { kind: "decline" }],
    ['tell them "we are closed until Monday, sorry"', { kind: "relay", message: "we are closed until Monday, sorry" }],
    ['Tell them: "Refund? No."', { kind: "relay", message: "Refund? No." }],
    ["tell them their logo is coming tomorrow", { kind: "relay", message: "Your logo is coming tomorrow." }],
    ["let the customer know we can add a second colour for free", { kind: "relay", message: "We can add a second colour for free." }],
    ["Cancel the order and give them their money back", { kind: "refund" }],
    ["cancel it", { kind: "refund" }],
    ["withdraw the offer", { kind: "decline" }],
    ["cancel the offer", { kind: "decline" }],
    ["No.", { kind: "decline" }],
    ["not interested", { kind: "decline" }],
    ["offer them $10", { kind: "split", refund: { kind: "money", major: "10" } }],
    ["go ahead", { kind: "go_ahead", price: null }],
    ["Yes, proceed", { kind: "go_ahead", price: null }],
    ["go ahead for $40", { kind: "go_ahead", price: { kind: "money", major: "40" } }],
    ["ok, deliver within 24h", { kind: "go_ahead", price: null }],
    ["don't refund, hold firm", { kind: "go_ahead", price: null }],
    ["what is this about?", { kind: "unknown" }],
    ["   ", { kind: "unknown" }],
    ["🤷", { kind: "unknown" }],
  ])("%j → %j", (text, action) => {
    expect(readOwnerInstruction(text)).toEqual(action);
  });

  it("each row of the table reads its own example", () => {
    for (const row of OWNER_INSTRUCTION_RULES) {
      const first = row.example.split(" · ")[0]!;
      expect(row.match(first), row.example).not.toBeNull();
    }
  });
});

describe("relayedClause", () => {
  it("passes on a message given beside another action, and nothing twice", () => {
    const read = (text: string) => relayedClause(text, readOwnerInstruction(text));
    expect(read("Refund them and tell them we're sorry")).toBe("We're sorry.");
    expect(read('split $10, then tell them "thanks for your patience"')).toBe("thanks for your patience");
    expect(read("go ahead. Let them know it ships Monday")).toBe("It ships Monday.");
    expect(read("tell them that's out of scope")).toBeNull(); // the decline says it
    expect(read("tell them we'll be late")).toBeNull(); // a relay is already the message
    expect(read("offer a full refund")).toBeNull();
  });
});

describe("stated amounts", () => {
  it("reads money and shares, and converts them exactly (no floats) in the currency's decimals", () => {
    expect(statedAmount("refund $12.5")).toEqual({ kind: "money", major: "12.5" });
    expect(statedAmount("within 3 days, 20%")).toEqual({ kind: "percent", percent: 20 });
    expect(statedAmount("in 48 hours")).toBeNull();
    expect(statedAmountMinor({ kind: "money", major: "12.5" }, 2_500, 2)).toBe(1_250);
    expect(statedAmountMinor({ kind: "money", major: "0.001" }, 2_500, 2)).toBeNull(); // more decimals than USD has
    expect(statedAmountMinor({ kind: "money", major: "1500" }, 0, 0)).toBe(1_500); // JPY
    expect(statedAmountMinor({ kind: "percent", percent: 33 }, 1_001, 2)).toBe(330); // rounded down
    expect(statedAmountMinor({ kind: "percent", percent: 50 }, 9_007_199_254_740_991, 2)).toBe(4_503_599_627_370_495);
    expect(statedAmountMinor({ kind: "percent", percent: 150 }, 100, 2)).toBeNull();
  });
});

const order = (status: string, amountMinor = 2_500): OrderFacts => ({ status, amountMinor, exponent: 2, referenceCode: "ABCDEF" });

describe("planOwnerAction", () => {
  it("refunds by the move the lifecycle allows: agree_refund in a dispute, cancel while active", () => {
    expect(planOwnerAction({ kind: "refund" }, order("disputed"))).toEqual([{ do: "agree_refund" }]);
    expect(planOwnerAction({ kind: "refund" }, order("negotiating"))).toEqual([{ do: "agree_refund" }]);
    expect(planOwnerAction({ kind: "refund" }, order("active"))).toEqual([{ do: "cancel_refund" }]);
    for (const status of ["pending", "delivered"]) {
      expect(planOwnerAction({ kind: "refund" }, order(status))).toEqual([expect.objectContaining({ do: "ask_owner", tellCustomer: true })]);
    }
    expect(planOwnerAction({ kind: "refund" }, null)).toEqual([expect.objectContaining({ do: "ask_owner", tellCustomer: true })]);
  });

  it("proposes a stated split (defending first in a dispute); a split of everything is a refund; out of range is asked back", () => {
    const half = { kind: "split", refund: { kind: "percent", percent: 50 } } as const;
    expect(planOwnerAction(half, order("disputed"))).toEqual([{ do: "defend_and_propose", refundMinor: 1_250 }]);
    expect(planOwnerAction({ kind: "split", refund: { kind: "money", major: "10" } }, order("negotiating"))).toEqual([{ do: "propose", refundMinor: 1_000 }]);
    expect(planOwnerAction({ kind: "split", refund: { kind: "money", major: "25" } }, order("negotiating"))).toEqual([{ do: "agree_refund" }]);
    for (const major of ["0", "30", "0.005"]) {
      expect(planOwnerAction({ kind: "split", refund: { kind: "money", major } }, order("negotiating"))[0]).toMatchObject({ do: "ask_owner" });
    }
    expect(planOwnerAction(half, order("active"))[0]).toMatchObject({ do: "ask_owner" });
  });

  it("relays in any state, declines (withdrawing a pending offer, moving no money otherwise), and goes ahead by state", () => {
    for (const status of ["pending", "active", "delivered", "negotiating", "admin_review", "completed"]) {
      expect(planOwnerAction({ kind: "relay", message: "Hi" }, order(status))).toEqual([{ do: "relay", message: "Hi" }]);
    }
    expect(planOwnerAction({ kind: "decline" }, order("pending"))).toEqual([{ do: "withdraw_offer" }, { do: "decline" }]);
    expect(planOwnerAction({ kind: "decline" }, order("active"))).toEqual([{ do: "decline" }]);
    expect(planOwnerAction({ kind: "decline" }, null)).toEqual([{ do: "decline" }]);
    const go = { kind: "go_ahead", price: null } as const;
    expect(planOwnerAction(go, order("pending"))).toEqual([{ do: "confirm", about: "offer_stands" }]);
    expect(planOwnerAction(go, order("active"))).toEqual([{ do: "deliver" }]);
    expect(planOwnerAction(go, order("delivered"))).toEqual([{ do: "confirm", about: "delivery_stands" }]);
    expect(planOwnerAction(go, order("disputed"))).toEqual([{ do: "answer_dispute" }]);
    expect(planOwnerAction(go, order("negotiating"))).toEqual([{ do: "confirm", about: "proposal_stands" }]);
    expect(planOwnerAction({ kind: "go_ahead", price: { kind: "money", major: "40" } }, null)).toEqual([{ do: "offer", priceMinor: 4_000 }]);
    expect(planOwnerAction(go, null)[0]).toMatchObject({ do: "ask_owner", why: expect.stringContaining("price") });
  });

  it("never moves money on a finished order or one a moderator holds; the customer of a finished order is not told to wait", () => {
    for (const status of ["completed", "refunded", "resolved", "cancelled"]) {
      for (const action of [{ kind: "refund" }, { kind: "go_ahead", price: null }, { kind: "split", refund: { kind: "percent", percent: 10 } }] as const) {
        expect(planOwnerAction(action, order(status))).toEqual([expect.objectContaining({ do: "ask_owner", tellCustomer: false })]);
      }
    }
    expect(planOwnerAction({ kind: "refund" }, order("admin_review"))).toEqual([expect.objectContaining({ do: "ask_owner", tellCustomer: true })]);
  });

  it("an alert about no chat has no customer: what needs one is asked back, and nobody is told to wait", () => {
    const noChat = { hasConversation: false, exponentWithoutOrder: 2 };
    for (const action of [{ kind: "relay", message: "Hi" }, { kind: "decline" }, { kind: "go_ahead", price: { kind: "money", major: "40" } }] as const) {
      expect(planOwnerAction(action, null, noChat)).toEqual([expect.objectContaining({ do: "ask_owner", tellCustomer: false })]);
    }
  });

  it("an instruction that maps to nothing is asked back, and the customer of an open order is told the owner is consulted", () => {
    expect(planOwnerAction({ kind: "unknown" }, order("negotiating"))).toEqual([
      { do: "ask_owner", why: "I did not understand your reply.", tellCustomer: true },
    ]);
  });
});

describe("actionFromModel", () => {
  it("accepts exactly the action set with well-formed fields, through the same amount parser", () => {
    expect(actionFromModel({ action: "refund" })).toEqual({ kind: "refund" });
    expect(actionFromModel({ action: "split", amount: "$12.50" })).toEqual({ kind: "split", refund: { kind: "money", major: "12.50" } });
    expect(actionFromModel({ action: "split", amount: 40 })).toEqual({ kind: "split", refund: { kind: "money", major: "40" } });
    expect(actionFromModel({ action: "relay", message: " We'll be late. " })).toEqual({ kind: "relay", message: "We'll be late." });
    expect(actionFromModel({ action: "go_ahead", amount: null })).toEqual({ kind: "go_ahead", price: null });
    expect(actionFromModel({ action: "decline" })).toEqual({ kind: "decline" });
  });

  it("refuses anything else: other actions, a split without an amount, an empty relay, non-objects", () => {
    for (const answer of [null, "refund", 7, {}, { action: "transfer", amount: "100" }, { action: "split" }, { action: "split", amount: "lots" }, { action: "relay", message: "" }, { action: "unknown" }]) {
      expect(actionFromModel(answer)).toBeNull();
    }
  });
});
