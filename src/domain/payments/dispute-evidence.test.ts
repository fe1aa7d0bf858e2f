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

// Issue 23: the evidence Stripe receives, whole, and the edges of each cap.
describe("the evidence sent to Stripe, field by field", () => {
  it("lists each order's timeline, then only the customer's own approvals and payments", () => {
    const e = buildDisputeEvidence({
      customerName: "Casey",
      customerEmail: "c@x.test",
      escrows: [
        escrow({
          timeline: [
            { at: at(1), command: "accept", actor: "customer", toStatus: "active" },
            { at: at(2), command: "approve", actor: "moderator", toStatus: "completed" },
            { at: at(3), command: "accept", actor: "agent", toStatus: "active" },
            { at: at(4), command: "dispute", actor: "customer", toStatus: "disputed" },
          ],
          messages: [],
          artifacts: [],
        }),
      ],
    });
    expect(e.access_activity_log).toBe(
      [
        "Order ABCDEF:",
        "  2026-11-01T10:00:01.000Z accept by customer → active",
        "  2026-11-01T10:00:02.000Z approve by moderator → completed",
        "  2026-11-01T10:00:03.000Z accept by agent → active",
        "  2026-11-01T10:00:04.000Z dispute by customer → disputed",
        "  customer accepted and paid the offer at 2026-11-01T10:00:01.000Z",
      ].join("\n"),
    );
    expect(e.uncategorized_text).toBe("Order ABCDEF — delivered artifacts:\n  none\nOrder ABCDEF — conversation:");
  });

  it("several orders: one line each, and the service date is the earliest order's day", () => {
    const e = buildDisputeEvidence({
      customerName: "Casey",
      customerEmail: "c@x.test",
      escrows: [
        escrow({ referenceCode: "LATERR", createdAt: new Date("2026-11-03T08:00:00Z"), status: "refunded" }),
        escrow({ referenceCode: "FIRSTT", createdAt: new Date("2026-10-30T23:00:00Z"), amountMinor: 100, currency: "EUR" }),
      ],
    });
    expect(e.product_description).toBe(
      'Order LATERR: "Logo design", 2500 USD (minor units), now refunded.\nOrder FIRSTT: "Logo design", 100 EUR (minor units), now completed.',
    );
    expect(e.service_date).toBe("2026-10-30");
  });

  it("a message is one line of at most 500 characters", () => {
    const text = `${"a".repeat(10)}\n\n\t${"b".repeat(600)}`;
    const e = buildDisputeEvidence({
      customerName: "C",
      customerEmail: "c@x.test",
      escrows: [escrow({ messages: [{ at: at(5), role: "customer", text }], artifacts: [] })],
    });
    expect(e.uncategorized_text.split("\n").at(-1)).toBe(`  [2026-11-01T10:00:05.000Z] customer: ${"a".repeat(10)} ${"b".repeat(489)}`);
  });

  it("a field of exactly the cap is kept whole; one character more is cut to the cap with a marker", () => {
    const line = (n: number) => escrow({ title: "t".repeat(n) });
    // 'Order ABCDEF: "' + title + '", 2500 USD (minor units), now completed.' is 56 characters around the title.
    const exact = buildDisputeEvidence({ customerName: "C", customerEmail: "c", escrows: [line(EVIDENCE_FIELD_MAX_CHARS - 56)] });
    expect(exact.product_description).toHaveLength(EVIDENCE_FIELD_MAX_CHARS);
    expect(exact.product_description.endsWith("now completed.")).toBe(true);
    const over = buildDisputeEvidence({ customerName: "C", customerEmail: "c", escrows: [line(EVIDENCE_FIELD_MAX_CHARS - 55)] });
    expect(over.product_description).toHaveLength(EVIDENCE_FIELD_MAX_CHARS);
    expect(over.product_description).toBe(`${over.product_description.slice(0, EVIDENCE_FIELD_MAX_CHARS - 12)}\n[truncated]`);
    expect(over.product_description.startsWith('Order ABCDEF: "ttt')).toBe(true);
  });

  it("the customer's name and email are cut to 200 characters", () => {
    const e = buildDisputeEvidence({ customerName: "n".repeat(250), customerEmail: `${"e".repeat(250)}@x.test`, escrows: [] });
    expect(e.customer_name).toBe("n".repeat(200));
    expect(e.customer_email_address).toBe("e".repeat(200));
    expect(e.product_description).toBe("A prepaid wallet top-up on Holdfast, an escrow marketplace for AI-agent services.");
    expect(e.access_activity_log).toBe("");
    expect(e.uncategorized_text).toBe("");
  });
});
