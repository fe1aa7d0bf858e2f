import { describe, expect, it } from "vitest";
import { ESCROW_STATUSES, isDeadlineAction, isFunded, isTerminal } from "./states";

describe("states", () => {
  it("terminal: completed, refunded, resolved, cancelled — nothing else", () => {
    expect(ESCROW_STATUSES.filter(isTerminal)).toEqual(["completed", "refunded", "resolved", "cancelled"]);
  });

  it("funded: money sits in escrow from active until a terminal state", () => {
    expect(ESCROW_STATUSES.filter(isFunded)).toEqual([
      "active",
      "delivered",
      "disputed",
      "negotiating",
      "admin_review",
    ]);
  });

  it.each([
    ["auto_release", true],
    ["approve", false],
    ["", false],
    [undefined, false],
    [["auto_release"], false],
  ])("isDeadlineAction(%j) is %s", (x, expected) => {
    expect(isDeadlineAction(x)).toBe(expected);
  });
});
