import { describe, expect, it } from "vitest";
import { TRANSITIONS } from "~/domain/escrow/transitions";
import { transitionsText } from "./lifecycle-text";
import { OPERATIONS } from "./operations";

describe("operation summaries and the transition table", () => {
  it("transitionsText lists every row the actor may run, from the table", () => {
    expect(transitionsText("cancel", "agent")).toBe("`pending` → `cancelled`, `active` → `refunded`");
    expect(transitionsText("approve", "customer")).toBe("`delivered` → `completed`, `negotiating` → `completed`");
    expect(() => transitionsText("approve", "agent")).toThrow(/no approve for agent/);
  });

  it("every `state` → `state` an operation's summary names is a row of the table", () => {
    const rows = new Set(TRANSITIONS.map((rule) => `${rule.from}→${rule.to}`));
    const named = OPERATIONS.flatMap((op) =>
      [...op.summary.matchAll(/`([a-z_]+)` → `([a-z_]+)`/g)].map((m) => ({ op: op.id, pair: `${m[1]}→${m[2]}` })),
    );
    expect(named.length).toBeGreaterThan(8);
    expect(named.filter(({ pair }) => !rows.has(pair))).toEqual([]);
  });

  it("the buyer's approve names both ways into completed (the hand-written summary named one)", () => {
    const approve = OPERATIONS.find((op) => op.id === "approvePurchase");
    expect(approve?.summary).toContain("`negotiating` → `completed`");
  });
});
