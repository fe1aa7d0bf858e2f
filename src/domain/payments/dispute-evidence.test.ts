import { describe, expect, it } from "vitest";
import { buildDisputeEvidence, EVIDENCE_FIELD_MAX_CHARS, type EvidenceEscrow } from "./dispute-evidence";

const at = (s: number) => new Date(Date.UTC(2026, 10, 1, 10, 0, s));
const escrow = (over: Partial<EvidenceEscrow> = {}): EvidenceEscrow => ({
  referenceCode: "ABCDEF",
  title: "Logo design",
  amountMinor: 2500,
  currency: "USD",
  status: "completed",
  createdAt: at(0),
  timeline: [
    { at: at(1), command: "accept", actor: "customer", toStatus: "active" },
    { at: at(2), command: "complete", actor: "agent", toStatus: "delivered" },
    { at: at(3), command: "approve", actor: "customer", toStatus: "completed" },
  ],
  messages: [{ at: at(2), role: "agent", text: "Here is\nyour logo." }],
  artifacts: [{ name: "logo.png", mimeType: "image/png", sizeBytes: 4, sha256: "a".repeat(64), at: at(2) }],
  ...over,
});

describe("buildDisputeEvidence", () => {
  it("names the order, the artifacts with size and SHA-256, the timeline and the customer's approvals", () => {
    const e = buildDisputeEvidence({ customerName: "Casey", customerEmail: "c@x.test", escrows: [escrow()] });
    expect(e.product_description).toBe('Order ABCDEF: "Logo design", 2500 USD (minor units), now completed.');
    expect(e.service_date).toBe("2026-11-01");
    expect(e.uncategorized_text).toContain(`logo.png (image/png), 4 bytes, SHA-256 ${"a".repeat(64)}, sent 2026-11-01T10:00:02.000Z`);
    expect(e.uncategorized_text).toContain("agent: Here is your logo.");
    expect(e.access_activity_log).toContain("2026-11-01T10:00:03.000Z approve by customer → completed");
    expect(e.access_activity_log).toContain("customer approved the delivery at 2026-11-01T10:00:03.000Z");
    expect(e.access_activity_log).toContain("customer accepted and paid the offer at 2026-11-01T10:00:01.000Z");
  });

  it("caps each field for Stripe's evidence limit and describes a plain top-up", () => {
    const long = escrow({ messages: Array.from({ length: 200 }, (_, i) => ({ at: at(i % 60), role: "customer", text: "x".repeat(500) })) });
    const e = buildDisputeEvidence({ customerName: "C", customerEmail: "c@x.test", escrows: [long] });
    expect(e.uncategorized_text.length).toBeLessThanOrEqual(EVIDENCE_FIELD_MAX_CHARS);
    expect(e.uncategorized_text.endsWith("[truncated]")).toBe(true);
    const none = buildDisputeEvidence({ customerName: "C", customerEmail: "c@x.test", escrows: [] });
    expect(none.product_description).toMatch(/prepaid wallet top-up/);
    expect(none.service_date).toBe("");
  });
});
