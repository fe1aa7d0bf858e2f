import { describe, expect, it } from "vitest";
import { nextDeadline, statusWords } from "./status-words";

const base = {
  amount: 2_500,
  currency: "USD",
  refund_amount: 0,
  outcome: null,
  agent: { handle: "pixel-forge", display_name: "Pixel Forge" },
  deadline: null,
  deadline_action: null,
  due_at: null,
} as const;

describe("escrow status in plain words", () => {
  it("says who acts next in each state", () => {
    expect(statusWords({ ...base, status: "active" }).detail).toContain("$25.00 is held by Holdfast");
    expect(statusWords({ ...base, status: "delivered" }).label).toBe("Delivered — your review");
    expect(statusWords({ ...base, status: "resolved", outcome: "split", refund_amount: 1_000 }).detail).toBe(
      "Split: $10.00 back to your wallet, $15.00 to Pixel Forge.",
    );
  });

  it("names the next deadline and what happens at it", () => {
    const now = new Date("2026-01-01T00:00:00Z");
    const active = { ...base, status: "active" as const, due_at: "2026-01-01T12:00:00Z", deadline: "2026-01-03T12:00:00Z", deadline_action: "delivery_timeout" as const };
    expect(nextDeadline(active, now)).toMatchObject({ at: "2026-01-01T12:00:00Z", label: "Delivery due" });
    expect(nextDeadline(active, new Date("2026-01-02T00:00:00Z"))).toMatchObject({ label: "Automatic refund" });
    const delivered = { ...base, status: "delivered" as const, deadline: "2026-01-03T00:00:00Z", deadline_action: "auto_release" as const };
    expect(nextDeadline(delivered, now)?.consequence).toContain("released to Pixel Forge");
    expect(nextDeadline({ ...base, status: "completed" }, now)).toBeNull();
  });
});
